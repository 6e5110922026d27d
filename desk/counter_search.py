"""Invoice requests, parking validations and group purchases in the
header search: an FP-, TC- or TG- reference jumps to the record; a plate
number lists that car's validations."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.permissions import VIEW_GROUPPURCHASE, VIEW_INVOICEREQUEST, VIEW_PARKINGVALIDATION
from desk.selectors.group_purchases import group_purchase_list
from desk.selectors.invoices import invoice_list
from desk.selectors.parking import parking_list
from desk.validators import normalise_plate
from mallservice.search import MAX_HITS_PER_KIND, SearchHit

REFERENCE = re.compile(r"^(FP|TC|TG)-(\d{4})-(\d{1,5})$", re.IGNORECASE)


def search(user: Any, query: str) -> list[SearchHit]:
    found = REFERENCE.match(query.strip())
    if found:
        prefix, year, number = found.groups()
        reference = f"{prefix.upper()}-{year}-{int(number):05d}"
        return _by_reference(user, prefix.upper(), reference)
    return _plates(user, query)


def _by_reference(user: Any, prefix: str, reference: str) -> list[SearchHit]:
    if prefix == "FP" and user.has_perm(VIEW_INVOICEREQUEST):
        return [
            SearchHit(
                kind=_("Invoice requests"),
                title=f"{i.reference} · {i.title}",
                url=i.get_absolute_url(),
                detail=f"{i.mall} · {i.get_status_display()}",
                exact=True,
            )
            for i in invoice_list(user=user).filter(reference=reference)[:MAX_HITS_PER_KIND]
        ]
    if prefix == "TC" and user.has_perm(VIEW_PARKINGVALIDATION):
        return [
            _parking_hit(v, exact=True)
            for v in parking_list(user=user).filter(reference=reference)[:MAX_HITS_PER_KIND]
        ]
    if prefix == "TG" and user.has_perm(VIEW_GROUPPURCHASE):
        return [
            SearchHit(
                kind=_("Group purchases"),
                title=f"{p.reference} · {p.company}",
                url=p.get_absolute_url(),
                detail=f"{p.mall} · {p.get_status_display()}",
                exact=True,
            )
            for p in group_purchase_list(user=user).filter(reference=reference)[:MAX_HITS_PER_KIND]
        ]
    return []


def _plates(user: Any, query: str) -> list[SearchHit]:
    if not user.has_perm(VIEW_PARKINGVALIDATION):
        return []
    try:
        plate = normalise_plate(query)
    except ValidationError:
        return []
    found = parking_list(user=user).filter(plate=plate).order_by("-created_at")
    return [_parking_hit(v, exact=False) for v in found[:MAX_HITS_PER_KIND]]


def _parking_hit(validation: Any, *, exact: bool) -> SearchHit:
    return SearchHit(
        kind=_("Parking validations"),
        title=f"{validation.reference} · {validation.plate} · {validation.hours} h",
        url=validation.get_absolute_url(),
        detail=f"{validation.mall} · {timezone.localdate(validation.created_at):%Y-%m-%d}",
        exact=exact,
    )
