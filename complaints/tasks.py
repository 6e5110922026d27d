"""Beat-driven dispatchers. Each claims due rows with skip_locked, so running
twice (or on two workers) does no harm."""

from __future__ import annotations

from celery import shared_task

from complaints.services.escalation import escalations_dispatch
from complaints.services.reports import summaries_dispatch
from mallservice.celery import ScheduledTask


@shared_task(base=ScheduledTask, ignore_result=True)
def escalations_dispatch_task(*, actor_id: int | None = None) -> int:
    return escalations_dispatch()


@shared_task(base=ScheduledTask, ignore_result=True)
def summaries_dispatch_task(*, actor_id: int | None = None) -> int:
    return summaries_dispatch()
