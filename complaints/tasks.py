"""Beat-driven dispatchers. Each claims due rows with skip_locked, so running
twice (or on two workers) does no harm."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from complaints import services
from mallservice.celery import AuditedTask
from mallservice.services import system_actor_id


class ScheduledTask(AuditedTask):
    """An AuditedTask that beat may send without an actor: the schedule is
    plain data and cannot know the system actor's id, so it is filled here."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("actor_id"):
            kwargs["actor_id"] = system_actor_id()
        return super().__call__(*args, **kwargs)


@shared_task(base=ScheduledTask, ignore_result=True)
def escalations_dispatch_task(*, actor_id: int | None = None) -> int:
    return services.escalations_dispatch()


@shared_task(base=ScheduledTask, ignore_result=True)
def outbox_send(*, actor_id: int | None = None) -> int:
    return services.outbox_dispatch()


@shared_task(base=ScheduledTask, ignore_result=True)
def summaries_dispatch_task(*, actor_id: int | None = None) -> int:
    return services.summaries_dispatch()
