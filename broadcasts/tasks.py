from __future__ import annotations

from celery import shared_task

from broadcasts import services
from mallservice.celery import AuditedTask
from mallservice.services import system_actor_id


@shared_task(base=AuditedTask, ignore_result=True)
def dispatch_run(*, actor_id: int) -> dict[str, int]:
    """Every minute: create today's routine airings and flag missed ones,
    prompt the desk to call the police on overdue missing-person cases, and
    keep the screens' live log. Idempotent: each step claims rows once."""
    missed = services.routine_missed_flag()
    prompted = services.missing_police_prompt_dispatch()
    opened, closed = services.screen_live_log_refresh()
    return {"missed": len(missed), "prompted": len(prompted), "opened": opened, "closed": closed}


@shared_task(ignore_result=True)
def dispatch() -> None:
    """Beat's entry point: runs the dispatcher as the system actor."""
    dispatch_run.delay(actor_id=system_actor_id())
