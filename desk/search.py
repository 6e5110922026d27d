"""Incidents, release passes, returns and CCTV reviews in the counter's
search box: an SJ-, FX-, TH- or JK- reference, or a pass's check code,
jumps to the record; other text matches what happened and the people
involved in an incident."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from desk.figures import cctv, counter, returns
from desk.permissions import VIEW_INCIDENT, VIEW_RELEASEPASS
from desk.selectors import incident_list, release_pass_list
from mallservice.search import MAX_HITS_PER_KIND, SearchHit

REFERENCE = re.compile(r"^SJ-\d{4}-\d{1,5}$", re.IGNORECASE)
PASS_REFERENCE = re.compile(r"^FX-\d{4}-\d{1,5}$", re.IGNORECASE)
PASS_CODE = re.compile(r"^[A-Z2-9]{8}$", re.IGNORECASE)


def search(user: Any, query: str) -> list[SearchHit]:
    return [
        *_incidents(user, query),
        *_passes(user, query),
        *returns.search_hits(user, query),
        *cctv.search_hits(user, query),
        *counter.search_hits(user, query),
    ]


def _passes(user: Any, query: str) -> list[SearchHit]:
    """A pass by its FX- reference or its check code."""
    if not user.has_perm(VIEW_RELEASEPASS):
        return []
    passes = release_pass_list(user=user)
    if PASS_REFERENCE.match(query):
        year, number = query.upper().split("-")[1:]
        found = passes.filter(reference=f"FX-{year}-{int(number):05d}")
    elif PASS_CODE.match(query):
        found = passes.filter(code=query.upper())
    else:
        return []
    return [
        SearchHit(
            kind=_("Goods release passes"),
            title=f"{release.reference} · {release.unit.name}",
            url=release.get_absolute_url(),
            detail=f"{release.mall} · {release.get_status_display()}",
            exact=True,
        )
        for release in found[:MAX_HITS_PER_KIND]
    ]


def _incidents(user: Any, query: str) -> list[SearchHit]:
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
            detail=f"{incident.mall} · {timezone.localdate(incident.occurred_at):%Y-%m-%d}",
            exact=exact,
        )
        for incident in found.order_by("-occurred_at")[:MAX_HITS_PER_KIND]
    ]
