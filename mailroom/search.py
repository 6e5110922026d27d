"""Mailroom records in the counter's search box: a parcel's tracking number
or pick-up code and a found item's number (LF…) are keys and jump straight
to the record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mailroom import permissions as perms
from mailroom.models import Parcel
from mailroom.selectors import found_item_list, parcel_list
from mailroom.services.common import normalise_tracking_number
from mallservice.search import MAX_HITS_PER_KIND, SearchHit


def _parcels(user: Any, query: str) -> list[SearchHit]:
    match = Q(pk__in=[])
    if query.isdigit() and len(query) == 6:
        # Pick-up codes are reused once a parcel has left: only waiting ones.
        match |= Q(pickup_code=query, status=Parcel.Status.WAITING)
    try:
        match |= Q(tracking_number=normalise_tracking_number(query))
    except ValidationError:
        pass
    parcels = parcel_list(user=user).filter(match).order_by("-received_at")[:MAX_HITS_PER_KIND]
    return [
        SearchHit(
            kind=_("Parcels"),
            title=parcel.tracking_number,
            url=reverse("mailroom:parcel_detail", args=[parcel.pk]),
            detail=f"{parcel.get_status_display()} · {timezone.localtime(parcel.received_at):%Y-%m-%d}",
            exact=True,
        )
        for parcel in parcels
    ]


def _found_items(user: Any, query: str) -> list[SearchHit]:
    if not query[:2].upper() == "LF" or len(query) < 4:
        return []
    # Numbers are stored upper-case (LF…): an exact match uses the index.
    items = found_item_list(user=user).filter(number=query.upper())[:MAX_HITS_PER_KIND]
    return [
        SearchHit(
            kind=_("Found items"),
            title=item.number,
            url=reverse("mailroom:found_detail", args=[item.pk]),
            detail=f"{item.description} · {item.get_status_display()}",
            exact=True,
        )
        for item in items
    ]


def search(user: Any, query: str) -> list[SearchHit]:
    hits: list[SearchHit] = []
    if user.has_perm(perms.VIEW_PARCEL):
        hits += _parcels(user, query)
    if user.has_perm(perms.VIEW_FOUNDITEM):
        hits += _found_items(user, query)
    return hits
