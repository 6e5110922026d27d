from __future__ import annotations

from celery import shared_task

from mallservice.celery import ScheduledTask
from mallservice.jobs import daily_jobs_dispatch as _daily_jobs_dispatch
from mallservice.notifications.services import messages_dispatch
from mallservice.services import daily_reports_dispatch, heartbeat_record

BEAT_HEARTBEAT = "beat"


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    """Sent by beat every minute and run by a worker: its timestamp proves
    both are alive (see /healthz)."""
    heartbeat_record(name=BEAT_HEARTBEAT)


@shared_task(base=ScheduledTask, ignore_result=True)
def daily_reports(*, actor_id: int | None = None) -> int:
    """Build each mall's daily report at its time and e-mail unsent ones.

    `actor_id` is optional: beat sends none and Celery checks the arguments
    in the beat process, before ScheduledTask fills in the system actor."""
    return daily_reports_dispatch()


@shared_task(base=ScheduledTask, ignore_result=True)
def daily_jobs_dispatch(*, actor_id: int | None = None) -> list[str]:
    """Start the apps' daily jobs that are due and not done, or whose worker
    died (see mallservice.jobs)."""
    return _daily_jobs_dispatch()


@shared_task(base=ScheduledTask, ignore_result=True)
def messages_dispatch_task(*, actor_id: int | None = None) -> int:
    """Send the outbox's due messages (beat every minute, and a kick after
    messages are queued)."""
    return messages_dispatch()
