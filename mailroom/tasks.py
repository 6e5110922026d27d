"""Beat-driven dispatchers. Each takes an actor, calls one service and is
idempotent: due work is a database row, claimed with
select_for_update(skip_locked=True) and stamped when done."""

from __future__ import annotations

from celery import shared_task

from mailroom import services
from mallservice.celery import AuditedTask


@shared_task(base=AuditedTask, ignore_result=True)
def parcel_reminders_dispatch_task(*, actor_id: int) -> int:
    return services.parcel_reminders_dispatch()


@shared_task(base=AuditedTask, ignore_result=True)
def outbox_dispatch_task(*, actor_id: int) -> int:
    return services.outbox_dispatch()


@shared_task(base=AuditedTask, ignore_result=True)
def found_retention_dispatch_task(*, actor_id: int) -> int:
    return services.found_retention_dispatch()


@shared_task(ignore_result=True)
def mailroom_dispatch() -> None:
    """The beat entry: runs every dispatcher as the system actor."""
    from mallservice.services import system_actor_id

    actor_id = system_actor_id()
    parcel_reminders_dispatch_task.delay(actor_id=actor_id)
    found_retention_dispatch_task.delay(actor_id=actor_id)
    outbox_dispatch_task.delay(actor_id=actor_id)
