from __future__ import annotations

from celery import shared_task

from broadcasts import services
from mallservice.celery import ScheduledTask


@shared_task(base=ScheduledTask, ignore_result=True)
def dispatch(*, actor_id: int | None = None) -> dict[str, int]:
    """Every minute: create today's routine airings and flag missed ones,
    prompt the desk to call the police on overdue missing-person cases, and
    keep the screens' live log. Idempotent: each step claims rows once."""
    missed = services.routine_missed_flag()
    prompted = services.missing_police_prompt_dispatch()
    opened, closed = services.screen_live_log_refresh()
    return {"missed": len(missed), "prompted": len(prompted), "opened": opened, "closed": closed}
