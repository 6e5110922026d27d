"""What the desk hands over: incidents still open at the mall (urgent ones
counted apart) and goods release passes awaiting a decision. They belong
to the desk, not to one person. One query for all three counts (the
handover page asks every app; its query count is bounded)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_noop

from desk.figures import cctv, counter, returns
from desk.models import ReleasePass
from desk.permissions import DECIDE_RELEASEPASS, VIEW_INCIDENT
from desk.selectors import incident_list, release_pass_list
from mallservice.handover import HandoverItem
from mallservice.models import Mall


def _count(qs: QuerySet) -> Coalesce:
    """COUNT of `qs` rows of the outer mall, as a subquery."""
    counted = (
        qs.select_related(None)
        .filter(mall=OuterRef("pk"))
        .order_by()
        .values("mall")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _url(name: str, mall: Mall, **filters: Any) -> str:
    return f"{reverse(name)}?{urlencode({'mall': mall.pk, **filters})}"


def open_items(*, user: Any, mall: Mall, now: datetime.datetime) -> list[HandoverItem]:
    counts: dict[str, Any] = {}
    if user.has_perm(VIEW_INCIDENT):
        live = incident_list(user=user).live()
        counts["live"] = _count(live)
        counts["urgent"] = _count(live.filter(urgent=True))
    if user.has_perm(DECIDE_RELEASEPASS):
        counts["waiting"] = _count(
            release_pass_list(user=user).filter(status=ReleasePass.Status.REQUESTED)
        )
    for register in (returns, cctv, counter):
        counts.update({key: _count(qs) for key, qs in register.handover_counts(user).items()})
    if not counts:
        return []
    row = Mall.objects.filter(pk=mall.pk).annotate(**counts).values(*counts).first()
    row = row or dict.fromkeys(counts, 0)
    items = []
    if "live" in row:
        items += [
            HandoverItem(
                "desk.incidents_open",
                gettext_noop("Incidents not closed"),
                row["live"],
                _url("desk:incident_list", mall, status="live"),
            ),
            HandoverItem(
                "desk.incidents_urgent_open",
                gettext_noop("Urgent incidents not closed"),
                row["urgent"],
                _url("desk:incident_list", mall, status="live", urgent="on"),
            ),
        ]
    if "waiting" in row:
        items.append(
            HandoverItem(
                "desk.passes_waiting",
                gettext_noop("Goods release passes awaiting approval"),
                row["waiting"],
                _url("desk:pass_list", mall, status="requested"),
            )
        )
    return items + [
        item for register in (returns, cctv, counter) for item in register.handover_items(row, mall)
    ]
