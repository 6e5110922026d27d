"""Today's work: incidents still open at the user's malls (urgent ones
first in the desk's mind: the item is marked urgent when any is)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from desk.figures import cctv, counter, returns
from desk.models import ReleasePass
from desk.permissions import DECIDE_RELEASEPASS, VIEW_INCIDENT
from desk.selectors import incident_list, release_pass_list
from mallservice.home import TodayItem


def today(user: Any) -> list[TodayItem]:
    items = cctv.today_items(user) + returns.today_items(user) + counter.today_items(user)
    if user.has_perm(DECIDE_RELEASEPASS):
        waiting = (
            release_pass_list(user=user)
            .filter(status=ReleasePass.Status.REQUESTED)
            .select_related(None)
            .count()
        )
        if waiting:
            items.append(
                TodayItem(
                    _("Goods release passes to approve"),
                    waiting,
                    f"{reverse('desk:pass_list')}?status=requested",
                    urgent=True,
                )
            )
    if not user.has_perm(VIEW_INCIDENT):
        return items
    counts = (
        incident_list(user=user)
        .select_related(None)
        .live()
        .aggregate(live=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))
    )
    if not counts["live"]:
        return items
    return [
        *items,
        TodayItem(
            _("Incidents not closed"),
            counts["live"],
            f"{reverse('desk:incident_list')}?status=live",
            urgent=bool(counts["urgent"]),
        ),
    ]
