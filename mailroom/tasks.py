"""Beat-driven dispatchers. Each takes an actor, calls one service and is
idempotent: due work is a database row, claimed with
select_for_update(skip_locked=True) and stamped when done."""

from __future__ import annotations

from celery import shared_task

from mailroom import services
from mallservice.celery import ScheduledTask


@shared_task(base=ScheduledTask, ignore_result=True)
def parcel_reminders_dispatch_task(*, actor_id: int | None = None) -> int:
    return services.parcel_reminders_dispatch()


@shared_task(base=ScheduledTask, ignore_result=True)
def outbox_dispatch_task(*, actor_id: int | None = None) -> int:
    return services.outbox_dispatch()


@shared_task(base=ScheduledTask, ignore_result=True)
def found_retention_dispatch_task(*, actor_id: int | None = None) -> int:
    return services.found_retention_dispatch()
