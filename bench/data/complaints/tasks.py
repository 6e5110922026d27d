"""The complaints desk's background work, timed in-process."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.db import transaction
from django.utils import timezone


def run_daily_summary(ctx: dict[str, Any]) -> dict[str, float]:
    """Build (rebuild) yesterday's daily summary of the desk's mall, as the
    beat does at 17:30: every figure of the day over the full tables."""
    from complaints.models import Summary
    from complaints.services.reports import summary_build
    from mallservice.models import Mall

    mall = Mall.objects.get(pk=ctx["complaints_mall_id"])
    day = ctx["complaints_summary_day"]
    at = datetime.datetime.combine(day, datetime.time(17, 30), timezone.get_current_timezone())
    started = time.perf_counter()
    summary_build(mall=mall, period=Summary.Period.DAY, starts_on=day, ends_on=day, now=at)
    return {"seconds": round(time.perf_counter() - started, 3)}


def run_escalation_beat(ctx: dict[str, Any]) -> dict[str, float]:
    """One run of the escalation dispatcher now (fires what is due), rolled
    back so that every run of the benchmark sees the same rungs."""
    from complaints.services.escalation import escalations_dispatch

    with transaction.atomic():
        started = time.perf_counter()
        fired = escalations_dispatch()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"seconds": round(seconds, 3), "fired": fired}
