"""Background jobs recovered from PostgreSQL, not from the broker.

A job run is a `JobRun` row per (job, key): a daily job and its local day,
or a per-record job and the record's id. Whoever runs the job first claims
the row; a worker that dies leaves it "running" with a heartbeat that stops,
and the next beat-driven dispatcher re-claims it once the heartbeat is older
than `JOB_STALE_SECONDS`. A lost or late Redis message therefore costs a
minute, not an hour, and never the work itself.

Daily jobs are declared by the apps as `DAILY_JOBS` in their `schedule.py`
(plain data): `{"members.tasks.plan_calls": {"at": "07:30", "after":
["members.tasks.evaluate_tiers"]}}`; the key is the task's name, whose body
calls `daily_job_run`."""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from mallservice.hooks import app_hook_modules
from mallservice.models import JobRun

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A run that has crashed this many times is given up (a job that kills its
# worker every time must not take the dispatcher down with it for ever).
JOB_MAX_ATTEMPTS = 3


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)


def job_claim(*, job: str, key: str, now: datetime.datetime | None = None) -> JobRun | None:
    """Claim the run (job, key), creating it if missing. Returns the claimed
    row, or None when it is finished or another worker's claim is alive.
    Commits at once: the claim must be visible while the job runs."""
    now = now or timezone.now()
    with transaction.atomic():
        # ON CONFLICT DO NOTHING: two claimers of a new run both go on to the
        # row lock below instead of one of them failing.
        JobRun.objects.bulk_create([JobRun(job=job, key=key)], ignore_conflicts=True)
        run = JobRun.objects.select_for_update(skip_locked=True).filter(job=job, key=key).first()
        if run is None or run.status in (JobRun.Status.DONE, JobRun.Status.FAILED):
            return None  # locked by a claimer right now, or finished
        if run.status == JobRun.Status.RUNNING:
            if run.heartbeat_at and run.heartbeat_at >= _stale_before(now):
                return None  # alive elsewhere
            logger.warning(
                "job %s %s: worker lost (attempt %s), re-claimed", job, key, run.attempts
            )
            if run.attempts >= JOB_MAX_ATTEMPTS:
                run.status, run.finished_at = JobRun.Status.FAILED, now
                run.error = "worker lost"
                run.save(update_fields=["status", "finished_at", "error"])
                return None
        run.status = JobRun.Status.RUNNING
        run.claimed_at = run.heartbeat_at = now
        run.attempts += 1
        run.save(update_fields=["status", "claimed_at", "heartbeat_at", "attempts"])
    return run


class _Heartbeat(threading.Thread):
    """Touches the run's heartbeat while the job runs. It dies with the
    process, so a killed worker's run goes stale; the claim time fences it,
    so it never refreshes a run somebody else has re-claimed."""

    def __init__(self, run: JobRun) -> None:
        super().__init__(name=f"heartbeat-{run.pk}", daemon=True)
        self.run_id, self.claimed_at = run.pk, run.claimed_at
        self.interval = max(settings.JOB_STALE_SECONDS / 4, 0.5)
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                JobRun.objects.filter(
                    pk=self.run_id, claimed_at=self.claimed_at, status=JobRun.Status.RUNNING
                ).update(heartbeat_at=timezone.now())
        except Exception:  # noqa: BLE001 - a missed beat only makes the run look stale
            logger.exception("job run %s: heartbeat failed", self.run_id)
        finally:
            connections.close_all()  # this thread's own connections


@contextmanager
def _heartbeat(run: JobRun) -> Iterator[None]:
    beat = _Heartbeat(run)
    beat.start()
    try:
        yield
    finally:
        beat.stopped.set()
        beat.join()


def job_run(
    *, job: str, key: str, fn: Callable[[], T], now: datetime.datetime | None = None
) -> tuple[bool, T | None]:
    """Claim (job, key) and run `fn` under a heartbeat; mark it done. Returns
    (ran, result); (False, None) when the run was not ours to do. An error
    leaves the run pending for the next dispatcher (up to JOB_MAX_ATTEMPTS)
    and is raised."""
    run = job_claim(job=job, key=key, now=now)
    if run is None:
        return False, None
    mine = JobRun.objects.filter(pk=run.pk, claimed_at=run.claimed_at)
    try:
        with _heartbeat(run):
            result = fn()
    except Exception as exc:
        given_up = run.attempts >= JOB_MAX_ATTEMPTS
        mine.update(
            status=JobRun.Status.FAILED if given_up else JobRun.Status.PENDING,
            finished_at=timezone.now() if given_up else None,
            error=f"{type(exc).__name__}: {exc}"[:500],
        )
        raise
    mine.update(status=JobRun.Status.DONE, finished_at=timezone.now(), error="")
    return True, result


def daily_jobs() -> dict[str, dict[str, Any]]:
    """Every app's DAILY_JOBS, task name → {"at": "HH:MM", "after": [...]}."""
    jobs: dict[str, dict[str, Any]] = {}
    for module in app_hook_modules("schedule", include_core=True):
        jobs.update(getattr(module, "DAILY_JOBS", {}))
    return jobs


def daily_job_key(now: datetime.datetime | None = None) -> str:
    """A daily job runs once per local day (the mall's day starts at midnight)."""
    return timezone.localdate(now or timezone.now()).isoformat()


def daily_job_run(*, job: str, fn: Callable[[], int], now: datetime.datetime | None = None) -> int:
    """Run today's `job` unless it ran (or is running) already; 0 if not ours."""
    _ran, result = job_run(job=job, key=daily_job_key(now), fn=fn, now=now)
    return result or 0


def daily_jobs_dispatch(*, now: datetime.datetime | None = None) -> list[str]:
    """Run by beat every minute: start each daily job whose time has come
    today and whose run is missing, pending or stale (its worker died, its
    message was lost), in the order of their times, after the jobs each
    names in `after`. The job runs here, in this worker, one a call; a job
    running elsewhere with a live heartbeat is left alone. Returns the job
    run, if any, as a list."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    key = daily_job_key(now)
    jobs = daily_jobs()
    ran: list[str] = []
    due = sorted(
        (spec["at"], name)
        for name, spec in jobs.items()
        if local.time() >= datetime.time.fromisoformat(spec["at"])
    )
    finished = {JobRun.Status.DONE, JobRun.Status.FAILED}
    for _at, name in due:
        states = dict(JobRun.objects.filter(key=key).values_list("job", "status"))
        if states.get(name) in finished:
            continue
        if any(states.get(before) not in finished for before in jobs[name].get("after", ())):
            continue  # e.g. tiers after the points expiry, the planner after the tiers
        try:
            # Calling the task runs its body here, in its own audit context
            # (ScheduledTask names the system actor); the body claims the run.
            import_string(name)()
        except Exception:  # noqa: BLE001 - one failing job must not block the others
            logger.exception("daily job %s failed; retried at the next dispatch", name)
        if JobRun.objects.filter(job=name, key=key, status=JobRun.Status.DONE).exists():
            ran.append(name)
            # One job a call keeps each dispatcher task within the task time
            # limit; the next one starts a minute later.
            break
    return ran
