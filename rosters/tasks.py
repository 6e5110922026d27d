from __future__ import annotations

from celery import shared_task

from mallservice.celery import AuditedTask
from mallservice.services import system_actor_id
from rosters.services import off_post_flag_due


@shared_task(ignore_result=True)
def off_post_beat() -> None:
    """Sent by beat every minute (the schedule is plain data and cannot name
    the system actor): hands the work to the audited dispatcher."""
    off_post_dispatch.delay(actor_id=system_actor_id())


@shared_task(base=AuditedTask, ignore_result=True)
def off_post_dispatch(*, actor_id: int) -> int:
    """Flag off-post absences past the mall's limit (离岗 over 30 minutes).
    Idempotent: a flagged row is never claimed again."""
    return off_post_flag_due()
