"""Beat-driven dispatchers. Each takes an actor, calls one service and is
idempotent: due work is a database row, claimed with
select_for_update(skip_locked=True) and stamped when done.

The tasks import the services; a service that starts a task names it, so
there is no import cycle. Parcel notices are sent by the shared outbox's
dispatcher (`mallservice.tasks.messages_dispatch_task`)."""

from __future__ import annotations

from celery import shared_task

from mailroom.services.lost_found import found_retention_dispatch
from mailroom.services.parcels import parcel_reminders_dispatch
from mallservice.celery import ScheduledTask


@shared_task(base=ScheduledTask, ignore_result=True)
def parcel_reminders_dispatch_task(*, actor_id: int | None = None) -> int:
    return parcel_reminders_dispatch()


@shared_task(base=ScheduledTask, ignore_result=True)
def found_retention_dispatch_task(*, actor_id: int | None = None) -> int:
    return found_retention_dispatch()
