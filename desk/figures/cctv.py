"""CCTV footage reviews on the shared pages: requests, refusals and copies
to the police in the daily report; requests awaiting a supervisor on the
dashboard, the handover and the home page; a JK- reference in the header
search."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from desk.models import FootageReview
from desk.permissions import DECIDE_FOOTAGEREVIEW, VIEW_FOOTAGEREVIEW
from desk.selectors import footage_review_list
from mallservice.daily_report import ReportLine
from mallservice.dashboard import Figure, list_url
from mallservice.handover import HandoverItem
from mallservice.home import TodayItem
from mallservice.models import Mall
from mallservice.search import MAX_HITS_PER_KIND, SearchHit

REFERENCE = re.compile(r"^JK-\d{4}-\d{1,5}$", re.IGNORECASE)
WAITING = FootageReview.Status.REQUESTED


def daily_lines(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> list:
    counts = FootageReview.objects.filter(mall=mall).aggregate(
        requested=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        refused=Count("pk", filter=Q(status="refused", decided_at__gte=start, decided_at__lt=end)),
        viewed=Count("pk", filter=Q(viewed_at__gte=start, viewed_at__lt=end)),
        copies=Count("pk", filter=Q(copy_released_at__gte=start, copy_released_at__lt=end)),
    )
    return [
        ReportLine(gettext_noop("CCTV footage reviews requested"), counts["requested"]),
        ReportLine(gettext_noop("CCTV footage reviews refused"), counts["refused"]),
        ReportLine(gettext_noop("CCTV footage viewed"), counts["viewed"]),
        ReportLine(
            gettext_noop("CCTV copies released to the police"),
            counts["copies"],
            "warning" if counts["copies"] else "",
        ),
    ]


def dashboard_figures(*, user: Any, malls: list[Mall]) -> list[Figure]:
    if not user.has_perm(DECIDE_FOOTAGEREVIEW):
        return []
    waiting = (
        footage_review_list(user=user)
        .select_related(None)
        .filter(mall_id__in=[mall.pk for mall in malls], status=WAITING)
        .count()
    )
    return [
        Figure(
            _("CCTV footage reviews to approve"),
            waiting,
            list_url("desk:footage_list", malls, status=WAITING),
            level="warning" if waiting else "ok",
        )
    ]


def handover_counts(user: Any) -> dict[str, QuerySet]:
    if not user.has_perm(VIEW_FOOTAGEREVIEW):
        return {}
    return {"footage_waiting": footage_review_list(user=user).filter(status=WAITING)}


def handover_items(row: dict[str, int], mall: Mall) -> list[HandoverItem]:
    if "footage_waiting" not in row:
        return []
    return [
        HandoverItem(
            "desk.footage_waiting",
            gettext_noop("CCTV footage reviews awaiting approval"),
            row["footage_waiting"],
            f"{reverse('desk:footage_list')}?{urlencode({'mall': mall.pk, 'status': WAITING})}",
        )
    ]


def today_items(user: Any) -> list[TodayItem]:
    if not user.has_perm(DECIDE_FOOTAGEREVIEW):
        return []
    waiting = footage_review_list(user=user).select_related(None).filter(status=WAITING).count()
    if not waiting:
        return []
    return [
        TodayItem(
            _("CCTV footage reviews to approve"),
            waiting,
            f"{reverse('desk:footage_list')}?status={WAITING}",
            urgent=True,
        )
    ]


def search_hits(user: Any, query: str) -> list[SearchHit]:
    """A review by its JK- reference."""
    if not user.has_perm(VIEW_FOOTAGEREVIEW) or not REFERENCE.match(query):
        return []
    year, number = query.upper().split("-")[1:]
    found = footage_review_list(user=user).filter(reference=f"JK-{year}-{int(number):05d}")
    return [
        SearchHit(
            kind=_("CCTV footage reviews"),
            title=f"{review.reference} · {review.requester_name}",
            url=review.get_absolute_url(),
            detail=f"{review.mall} · {review.get_status_display()}",
            exact=True,
        )
        for review in found[:MAX_HITS_PER_KIND]
    ]
