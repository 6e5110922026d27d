"""The complaints panel of the supervisor dashboard: open complaints by
status and by floor, near breach and breached, compensation awaiting
approval, and the 30-day trends. Aggregate queries only (seven, whatever the
number of complaints); every figure links to the filtered list behind it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Compensation, Satisfaction, SlaState, StatusCategory
from complaints.permissions import VIEW_COMPLAINT
from complaints.selectors import compensation_list, complaint_list
from mallservice.clock import day_bounds, local_date
from mallservice.dashboard import Chart, Figure, Panel, cached_trend
from mallservice.models import Mall

TREND_DAYS = 30
OVERDUE = [SlaState.BREACHED, SlaState.ESCALATED]


def _list_url(malls: list[Mall], **filters: Any) -> str:
    """The complaint list filtered as the figure counts (one mall: that mall)."""
    if len(malls) == 1:
        filters = {"mall": malls[0].pk, **filters}
    return f"{reverse('complaints:list')}?{urlencode(filters)}"


def _days(now: datetime.datetime) -> list[datetime.date]:
    today = local_date(now)
    return [today - datetime.timedelta(days=n) for n in range(TREND_DAYS - 1, -1, -1)]


def panels(*, user: Any, malls: list[Mall], now: datetime.datetime) -> list[Panel]:
    if not user.has_perm(VIEW_COMPLAINT):
        return []
    mall_ids = [m.pk for m in malls]
    base = complaint_list(user=user).filter(mall_id__in=mall_ids).select_related(None)
    live = base.live()
    totals = live.aggregate(
        live=Count("pk"),
        open=Count("pk", filter=Q(status_category=StatusCategory.OPEN)),
        paused=Count("pk", filter=Q(status_category=StatusCategory.PAUSED)),
        near=Count("pk", filter=Q(sla_state=SlaState.WARNED)),
        breached=Count("pk", filter=Q(sla_state__in=OVERDUE)),
        # Still open after a public channel's legal deadline (12315, 12345...).
        legal_late=Count("pk", filter=Q(legal_due_on__lt=local_date(now))),
    )
    # Resolved (verified) but the customer not yet called back (回访).
    awaiting_callback = base.filter(state="verified").count()
    awaiting = (
        compensation_list(user=user)
        .filter(mall_id__in=mall_ids, state=Compensation.State.REQUESTED)
        .count()
    )
    figures = [
        Figure(_("Open complaints"), totals["live"], _list_url(malls, live=1)),
        Figure(
            _("Due soon"),
            totals["near"],
            _list_url(malls, live=1, sla_state=SlaState.WARNED),
            level="warning" if totals["near"] else "ok",
        ),
        Figure(
            _("Overdue"),
            totals["breached"],
            _list_url(malls, live=1, sla_state="overdue"),
            level="danger" if totals["breached"] else "ok",
        ),
        Figure(
            _("Compensation awaiting approval"),
            awaiting,
            _list_url(malls, compensation=Compensation.State.REQUESTED),
            level="warning" if awaiting else "ok",
        ),
        Figure(_("Paused"), totals["paused"], _list_url(malls, status_category="paused")),
        Figure(
            _("Awaiting callback"),
            awaiting_callback,
            _list_url(malls, state="verified"),
        ),
        Figure(
            _("Open past the legal deadline"),
            totals["legal_late"],
            _list_url(malls, legal="late"),
            level="danger" if totals["legal_late"] else "ok",
        ),
    ]
    by_status = Panel(_("Open complaints by status"), order=21)
    for row in (
        live.values("status_id", "status__name").annotate(n=Count("pk")).order_by("-n", "status_id")
    ):
        by_status.figures.append(
            Figure(row["status__name"], row["n"], _list_url(malls, live=1, status=row["status_id"]))
        )
    by_floor = Panel(_("Open complaints by floor"), order=22)
    for row in (
        live.filter(floor__isnull=False)
        .values("floor_id", "floor__code")
        .annotate(n=Count("pk"))
        .order_by("floor__code", "floor_id")
    ):
        by_floor.figures.append(
            Figure(row["floor__code"], row["n"], _list_url(malls, live=1, floor=row["floor_id"]))
        )
    panel = Panel(_("Complaints"), order=20, figures=figures)
    panel.charts = [
        cached_trend(
            f"complaints-{name}",
            user=user,
            malls=malls,
            now=now,
            build=lambda f=build: f(base, now),
        )
        for name, build in (("categories", _category_trend), ("satisfaction", _satisfaction_trend))
    ]
    return [panel, by_status, by_floor]


def _category_trend(base, now: datetime.datetime) -> Chart:
    days = _days(now)
    tz = timezone.get_current_timezone()
    start = day_bounds(days[0])[0]
    counts: dict[str, dict[datetime.date, int]] = defaultdict(dict)
    for row in (
        base.filter(received_at__gte=start, received_at__lte=now)
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values("day", "category__name")
        .annotate(n=Count("pk"))
        .order_by("category__name", "day")
    ):
        counts[row["category__name"]][row["day"]] = row["n"]
    return Chart(
        title=_("Complaints per day by category (30 days)"),
        kind="line",
        labels=[f"{day:%m-%d}" for day in days],
        datasets=[
            {"label": name, "data": [per_day.get(day, 0) for day in days]}
            for name, per_day in counts.items()
        ],
    )


def _satisfaction_trend(base, now: datetime.datetime) -> Chart:
    """Callbacks per day by what the customer said (满意度回访)."""
    days = _days(now)
    tz = timezone.get_current_timezone()
    start = day_bounds(days[0])[0]
    counts: dict[str, dict[datetime.date, int]] = defaultdict(dict)
    for row in (
        base.filter(called_back_at__gte=start, called_back_at__lte=now)
        .exclude(satisfaction="")
        .annotate(day=TruncDate("called_back_at", tzinfo=tz))
        .values("day", "satisfaction")
        .annotate(n=Count("pk"))
        .order_by("day")
    ):
        counts[row["satisfaction"]][row["day"]] = row["n"]
    return Chart(
        title=_("Satisfaction at callback (30 days)"),
        kind="bar",
        labels=[f"{day:%m-%d}" for day in days],
        datasets=[
            {"label": str(choice.label), "data": [counts[choice.value].get(d, 0) for d in days]}
            for choice in Satisfaction
        ],
    )
