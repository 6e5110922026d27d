"""Returns and exchanges on the shared pages: received and settled in the
daily report, cases not settled on the dashboard, the handover and the
home page, a TH- reference in the header search."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from desk.models import ReturnCase
from desk.permissions import VIEW_RETURNCASE
from desk.selectors import return_case_list
from mallservice.daily_report import ReportLine
from mallservice.dashboard import Figure, list_url
from mallservice.handover import HandoverItem
from mallservice.home import TodayItem
from mallservice.models import Mall
from mallservice.search import MAX_HITS_PER_KIND, SearchHit

REFERENCE = re.compile(r"^TH-\d{4}-\d{1,5}$", re.IGNORECASE)


def daily_lines(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> list:
    counts = ReturnCase.objects.filter(mall=mall).aggregate(
        received=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        settled=Count(
            "pk",
            filter=Q(status="settled", shop_confirmed_at__gte=start, shop_confirmed_at__lt=end),
        ),
        escalated=Count(
            "pk",
            filter=Q(
                status="escalated",
                complaint__received_at__gte=start,
                complaint__received_at__lt=end,
            ),
        ),
        live=Count("pk", filter=Q(status__in=ReturnCase.LIVE, created_at__lt=end)),
    )
    return [
        ReportLine(gettext_noop("Returns and exchanges received"), counts["received"]),
        ReportLine(gettext_noop("Returns and exchanges settled"), counts["settled"]),
        ReportLine(
            gettext_noop("Returns and exchanges that became complaints"),
            counts["escalated"],
            "warning" if counts["escalated"] else "",
        ),
        ReportLine(gettext_noop("Returns and exchanges not settled"), counts["live"]),
    ]


def dashboard_figures(*, user: Any, malls: list[Mall]) -> list[Figure]:
    if not user.has_perm(VIEW_RETURNCASE):
        return []
    live = (
        return_case_list(user=user)
        .select_related(None)
        .filter(mall_id__in=[mall.pk for mall in malls], status__in=ReturnCase.LIVE)
        .count()
    )
    return [
        Figure(
            _("Returns and exchanges not settled"),
            live,
            list_url("desk:return_list", malls, live="on"),
            level="warning" if live else "ok",
        )
    ]


def handover_counts(user: Any) -> dict[str, QuerySet]:
    """The querysets the handover counts, by key (one subquery each)."""
    if not user.has_perm(VIEW_RETURNCASE):
        return {}
    return {"returns_live": return_case_list(user=user).live()}


def handover_items(row: dict[str, int], mall: Mall) -> list[HandoverItem]:
    if "returns_live" not in row:
        return []
    return [
        HandoverItem(
            "desk.returns_open",
            gettext_noop("Returns and exchanges not settled"),
            row["returns_live"],
            f"{reverse('desk:return_list')}?{urlencode({'mall': mall.pk, 'live': 'on'})}",
        )
    ]


def today_items(user: Any) -> list[TodayItem]:
    if not user.has_perm(VIEW_RETURNCASE):
        return []
    live = return_case_list(user=user).select_related(None).live().count()
    if not live:
        return []
    return [
        TodayItem(
            _("Returns and exchanges not settled"),
            live,
            f"{reverse('desk:return_list')}?live=on",
        )
    ]


def search_hits(user: Any, query: str) -> list[SearchHit]:
    """A case by its TH- reference."""
    if not user.has_perm(VIEW_RETURNCASE) or not REFERENCE.match(query):
        return []
    year, number = query.upper().split("-")[1:]
    found = return_case_list(user=user).filter(reference=f"TH-{year}-{int(number):05d}")
    return [
        SearchHit(
            kind=_("Returns and exchanges"),
            title=f"{case.reference} · {case.unit.name}",
            url=case.get_absolute_url(),
            detail=f"{case.mall} · {case.customer_name} · {case.get_status_display()}",
            exact=True,
        )
        for case in found[:MAX_HITS_PER_KIND]
    ]
