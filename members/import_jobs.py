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
from members import imports
from members.models import MemberImport

CHECK_JOB = "members.import_check"
COMMIT_JOB = "members.import_commit"

# The upload's own task normally starts the check within a second; the
# dispatcher leaves a fresh upload to it.
UPLOAD_GRACE = datetime.timedelta(seconds=30)


def import_run(*, job: str, import_id: int, now: datetime.datetime | None = None) -> bool:
    """Run the check or the commit of one import once. False when it was
    done already or is running elsewhere."""
    work = imports.import_check if job == CHECK_JOB else imports.import_commit
    ran, _record = job_run(
        job=job, key=str(import_id), fn=lambda: work(import_id=import_id), now=now
    )
    return ran


def imports_dispatch(*, now: datetime.datetime | None = None) -> int:
    """Check or commit every import left half-way; returns how many ran."""
    now = now or timezone.now()
    left = MemberImport.objects.filter(
        status__in=[
            MemberImport.Status.UPLOADED,
            MemberImport.Status.CHECKING,
            MemberImport.Status.IMPORTING,
        ]
    ).exclude(status=MemberImport.Status.UPLOADED, created_at__gt=now - UPLOAD_GRACE)
    ran = 0
    for import_id, status, created_by_id in left.order_by("created_at").values_list(
        "pk", "status", "created_by_id"
    ):
        job = COMMIT_JOB if status == MemberImport.Status.IMPORTING else CHECK_JOB
        # The rows are the uploader's work, as on the normal path.
        with actor_context(actor_id=created_by_id, source=Source.CELERY, task=job):
            ran += import_run(job=job, import_id=import_id, now=now)
    return ran
