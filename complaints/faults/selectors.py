"""Reads of fault reports, always scoped to the requesting user's malls. One
function serves the list and the detail page; the report page is built from
aggregate queries only (its query count does not grow with the data)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet

from complaints.models import Activity, DeskSettings, FaultReport, SlaState
from mallservice.selectors import scope_to_user_malls


def fault_list(*, user: Any) -> QuerySet[FaultReport]:
    return scope_to_user_malls(FaultReport.objects.for_list(), user=user)


def fault_detail(*, user: Any) -> QuerySet[FaultReport]:
    """The detail page's queryset: timeline and escalations fetched up front."""
    return (
        fault_list(user=user)
        .select_related("created_by", "reporter_unit", "phone_call", "complaint")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.select_related("actor")),
            "escalations",
        )
    )


def fault_open_count(*, user: Any) -> int:
    return fault_list(user=user).live().count()


def fault_overdue_count(*, user: Any) -> int:
    return (
        fault_list(user=user)
        .filter(state=FaultReport.State.ASSIGNED)
        .filter(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED])
        .count()
    )


def fault_report_figures(*, user: Any, now: datetime.datetime, days: int = 30) -> dict[str, Any]:
    """The fault report page: open faults by place and by type, time to fix
    per type over the last `days`, and the places with repeat faults (same
    type, same place, at least the mall's repeat count within its window).
    Five queries whatever the data."""
    qs = fault_list(user=user)
    live = qs.live()
    by_place = list(
        live.values("mall__name", "floor__code", "unit__name")
        .annotate(
            n=Count("pk"), overdue=Count("pk", filter=Q(sla_state__in=["breached", "escalated"]))
        )
        .order_by("-n", "floor__code", "unit__name")[:30]
    )
    by_type = list(live.values("fault_type").annotate(n=Count("pk")).order_by("-n", "fault_type"))
    since = now - datetime.timedelta(days=days)
    fix_times = list(
        qs.filter(fixed_at__gte=since)
        .values("fault_type")
        .annotate(n=Count("pk"), avg=Avg(F("fixed_at") - F("received_at")))
        .order_by("fault_type")
    )
    for row in fix_times:
        row["avg_minutes"] = round(row["avg"].total_seconds() / 60) if row["avg"] else None
    # Repeat places: the flag is stored at intake against the mall's own
    # settings, so grouping the flagged rows of the window is enough.
    window = max(
        DeskSettings.objects.filter(mall__in=qs.values("mall")).values_list(
            "fault_repeat_days", flat=True
        ),
        default=30,
    )
    repeats = list(
        qs.filter(received_at__gte=now - datetime.timedelta(days=window))
        .values("mall__name", "floor__code", "unit__name", "fault_type")
        .annotate(
            n=Count("pk"),
            flagged=Count("pk", filter=Q(is_repeat=True)),
        )
        .filter(flagged__gt=0)
        .order_by("-n", "floor__code")[:30]
    )
    return {
        "by_place": by_place,
        "by_type": by_type,
        "fix_times": fix_times,
        "repeats": repeats,
        "days": days,
        "window": window,
    }
