"""What the desk hands over about incidents: those still open at the mall
(urgent ones counted apart). Incidents belong to the desk, not to one
person."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from desk.models import ReleasePass
from desk.permissions import DECIDE_RELEASEPASS, VIEW_INCIDENT
from desk.selectors import incident_list, release_pass_list
from mallservice.handover import HandoverItem
from mallservice.models import Mall


def _url(mall: Mall, **filters: Any) -> str:
    return f"{reverse('desk:incident_list')}?{urlencode({'mall': mall.pk, **filters})}"


def open_items(*, user: Any, mall: Mall, now: datetime.datetime) -> list[HandoverItem]:
    if not user.has_perm(VIEW_INCIDENT):
        return []
    counts = (
        incident_list(user=user)
        .filter(mall=mall)
        .select_related(None)
        .live()
        .aggregate(live=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))
    )
    items = [
        HandoverItem(
            "desk.incidents_open",
            gettext_noop("Incidents not closed"),
            counts["live"],
            _url(mall, status="live"),
        ),
        HandoverItem(
            "desk.incidents_urgent_open",
            gettext_noop("Urgent incidents not closed"),
            counts["urgent"],
            _url(mall, status="live", urgent="on"),
        ),
    ]
    if user.has_perm(DECIDE_RELEASEPASS):
        waiting = (
            release_pass_list(user=user)
            .filter(mall=mall, status=ReleasePass.Status.REQUESTED)
            .select_related(None)
            .count()
        )
        items.append(
            HandoverItem(
                "desk.passes_waiting",
                gettext_noop("Goods release passes awaiting approval"),
                waiting,
                f"{reverse('desk:pass_list')}?{urlencode({'mall': mall.pk, 'status': 'requested'})}",
            )
        )
    return items
