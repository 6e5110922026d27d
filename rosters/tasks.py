from __future__ import annotations

from celery import shared_task

from mallservice.celery import ScheduledTask
from rosters.services.off_post import off_post_flag_due


@shared_task(base=ScheduledTask, ignore_result=True)
def off_post_dispatch(*, actor_id: int | None = None) -> int:
    """Flag off-post absences past the mall's limit (离岗 over 30 minutes).
    Idempotent: a flagged row is never claimed again."""
    return off_post_flag_due()
