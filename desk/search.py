"""Incidents in the counter's search box: an SJ- reference jumps to the
incident; other text matches what happened and the people involved."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from desk.permissions import VIEW_INCIDENT
from desk.selectors import incident_list
from mallservice.search import MAX_HITS_PER_KIND, SearchHit

REFERENCE = re.compile(r"^SJ-\d{4}-\d{1,5}$", re.IGNORECASE)


def search(user: Any, query: str) -> list[SearchHit]:
    if not user.has_perm(VIEW_INCIDENT) or len(query) < 2:
        return []
    incidents = incident_list(user=user)
    if REFERENCE.match(query):
        year, number = query.upper().split("-")[1:]
        found = incidents.filter(reference=f"SJ-{year}-{int(number):05d}")
        exact = True
    else:
        found = incidents.filter(description__icontains=query) | incidents.filter(
            people_involved__icontains=query
        )
        exact = False
    return [
        SearchHit(
            kind=_("Incidents"),
            title=f"{incident.reference} · {incident.get_kind_display()}",
            url=incident.get_absolute_url(),
            detail=f"{incident.mall} · {incident.occurred_at:%Y-%m-%d}",
            exact=exact,
        )
        for incident in found.order_by("-occurred_at")[:MAX_HITS_PER_KIND]
    ]
