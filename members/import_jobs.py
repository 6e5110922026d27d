"""Member imports as recoverable jobs. The check and the commit of an import
are JobRuns keyed by the import's id: the task enqueued at upload (or at
"import") claims the run, and the imports dispatcher (beat, every minute)
claims any import whose state says work is left — "uploaded" (the message
was lost: Redis was down at upload), "checking" or "importing" (the worker
died) — once its run is missing, pending or stale."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mallservice.audit import Source, actor_context
from mallservice.jobs import job_run
from mallservice.models import JobRun
from members.models import MemberImport
from members.services.imports import member_import_check_run, member_import_commit_run

CHECK_JOB = "members.import_check"
COMMIT_JOB = "members.import_commit"

# The upload's own task normally starts the check within a second; the
# dispatcher leaves a fresh upload to it.
UPLOAD_GRACE = datetime.timedelta(seconds=30)


def import_run(*, job: str, import_id: int, now: datetime.datetime | None = None) -> bool:
    """Run the check or the commit of one import once. False when it was
    done already or is running elsewhere."""
    work = member_import_check_run if job == CHECK_JOB else member_import_commit_run
    ran, _record = job_run(
        job=job, key=str(import_id), fn=lambda: work(import_id=import_id), now=now
    )
    return ran


def imports_dispatch(*, now: datetime.datetime | None = None) -> int:
    """Check or commit the oldest import left half-way whose run is free
    (missing, pending or stale); returns 1 when one ran, else 0."""
    now = now or timezone.now()
    left = MemberImport.objects.filter(
        status__in=[
            MemberImport.Status.UPLOADED,
            MemberImport.Status.CHECKING,
            MemberImport.Status.IMPORTING,
        ]
    ).exclude(status=MemberImport.Status.UPLOADED, created_at__gt=now - UPLOAD_GRACE)
    rows = list(left.order_by("created_at").values_list("pk", "status", "created_by_id"))
    given_up = set(
        JobRun.objects.filter(
            job__in=[CHECK_JOB, COMMIT_JOB],
            key__in=[str(pk) for pk, _status, _by in rows],
            status=JobRun.Status.FAILED,
        ).values_list("job", "key")
    )
    for import_id, status, created_by_id in rows:
        job = COMMIT_JOB if status == MemberImport.Status.IMPORTING else CHECK_JOB
        if (job, str(import_id)) in given_up:
            # Given up after repeated crashes (the file kills its worker):
            # the import ends as unreadable instead of "checking" for ever.
            MemberImport.objects.filter(pk=import_id).update(
                status=MemberImport.Status.FAILED, errors=[{"row": 0, "codes": ["bad_file"]}]
            )
            continue
        # The rows are the uploader's work, as on the normal path.
        with actor_context(actor_id=created_by_id, source=Source.CELERY, task=job):
            if import_run(job=job, import_id=import_id, now=now):
                # One import a call keeps the task within its time limit;
                # the next one is taken a minute later.
                return 1
    return 0
