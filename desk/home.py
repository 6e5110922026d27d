"""Today's work: incidents still open at the user's malls (urgent ones
first in the desk's mind: the item is marked urgent when any is)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from desk.permissions import VIEW_INCIDENT
from desk.selectors import incident_list
from mallservice.home import TodayItem


def today(user: Any) -> list[TodayItem]:
    if not user.has_perm(VIEW_INCIDENT):
        return []
    counts = (
        incident_list(user=user)
        .select_related(None)
        .live()
        .aggregate(live=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))
    )
    if not counts["live"]:
        return []
    return [
        TodayItem(
            _("Incidents not closed"),
            counts["live"],
            f"{reverse('desk:incident_list')}?status=live",
            urgent=bool(counts["urgent"]),
        )
    ]
