"""Invoices, parking validations and group purchases on the shared pages:
figures for the daily report, the dashboard, the handover and the home
page, each one aggregate query per register; an FP-, TC- or TG-
reference, or a plate number, in the header search."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from desk.models import GroupPurchase, InvoiceRequest, ParkingValidation
from desk.permissions import (
    ADD_PARKINGVALIDATION,
    HANDLE_GROUPPURCHASE,
    ISSUE_INVOICEREQUEST,
    VIEW_GROUPPURCHASE,
    VIEW_INVOICEREQUEST,
    VIEW_PARKINGVALIDATION,
)
from desk.selectors.group_purchases import group_purchase_list
from desk.selectors.invoices import invoice_list
from desk.selectors.parking import parking_list
from desk.validators import normalise_plate
from mallservice.daily_report import ReportLine
from mallservice.dashboard import Figure, Panel, list_url
from mallservice.handover import HandoverItem
from mallservice.home import TodayItem
from mallservice.models import Mall
from mallservice.search import MAX_HITS_PER_KIND, SearchHit


def daily_lines(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> list:
    day = Q(created_at__gte=start, created_at__lt=end)
    invoices = InvoiceRequest.objects.filter(mall=mall).aggregate(
        requested=Count("pk", filter=day),
        issued=Count(
            "pk",
            filter=Q(decided_at__gte=start, decided_at__lt=end, status__in=["issued", "emailed"]),
        ),
        waiting=Count("pk", filter=Q(status="requested", created_at__lt=end)),
    )
    parking = ParkingValidation.objects.filter(
        mall=mall, created_at__gte=start, created_at__lt=end
    ).aggregate(n=Count("pk"), hours=Sum("hours"), failed=Count("pk", filter=Q(status="failed")))
    groups = GroupPurchase.objects.filter(mall=mall).aggregate(
        enquiries=Count("pk", filter=day),
        ordered=Count("pk", filter=Q(ordered_at__gte=start, ordered_at__lt=end)),
    )
    return [
        ReportLine(gettext_noop("Invoice requests recorded"), invoices["requested"]),
        ReportLine(gettext_noop("Invoices issued"), invoices["issued"]),
        ReportLine(
            gettext_noop("Invoice requests awaiting finance"),
            invoices["waiting"],
            "warning" if invoices["waiting"] else "",
        ),
        ReportLine(gettext_noop("Parking validations"), parking["n"]),
        ReportLine(gettext_noop("Free parking hours given"), parking["hours"] or 0),
        ReportLine(
            gettext_noop("Parking validations the car park did not accept"),
            parking["failed"],
            "warning" if parking["failed"] else "",
        ),
        ReportLine(gettext_noop("Group purchase enquiries"), groups["enquiries"]),
        ReportLine(gettext_noop("Group purchases handed to marketing"), groups["ordered"]),
    ]


def _waiting_invoices(user: Any) -> Any:
    return invoice_list(user=user).select_related(None).filter(status="requested")


def _failed_parking(user: Any) -> Any:
    return parking_list(user=user).select_related(None).filter(status="failed")


def _to_deliver(user: Any) -> Any:
    return (
        group_purchase_list(user=user)
        .select_related(None)
        .filter(status__in=GroupPurchase.WITH_MARKETING)
    )


def dashboard_panel(
    *,
    user: Any,
    malls: list[Mall],
    start: datetime.datetime,
    end: datetime.datetime,
) -> list[Panel]:
    if not (
        user.has_perm(VIEW_INVOICEREQUEST)
        and user.has_perm(VIEW_PARKINGVALIDATION)
        and user.has_perm(VIEW_GROUPPURCHASE)
    ):
        return []
    mall_ids = [mall.pk for mall in malls]
    today = Q(created_at__gte=start, created_at__lt=end)
    invoices = _waiting_invoices(user).filter(mall_id__in=mall_ids).count()
    parking = (
        parking_list(user=user)
        .select_related(None)
        .filter(mall_id__in=mall_ids)
        .filter(today | Q(status="failed"))
        .aggregate(today=Count("pk", filter=today), failed=Count("pk", filter=Q(status="failed")))
    )
    groups = (
        group_purchase_list(user=user)
        .select_related(None)
        .filter(mall_id__in=mall_ids, status__in=GroupPurchase.LIVE)
        .aggregate(live=Count("pk"), to_deliver=Count("pk", filter=Q(status="ordered")))
    )
    day = f"{start:%Y-%m-%d}"
    return [
        Panel(
            title=_("Invoices, parking and group purchases"),
            order=62,
            figures=[
                Figure(
                    _("Invoice requests awaiting finance"),
                    invoices,
                    list_url("desk:invoice_list", malls, status="requested"),
                    level="warning" if invoices else "ok",
                ),
                Figure(
                    _("Parking validations the car park did not accept"),
                    parking["failed"],
                    list_url("desk:parking_list", malls, status="failed"),
                    level="danger" if parking["failed"] else "ok",
                ),
                Figure(
                    _("Parking validations today"),
                    parking["today"],
                    list_url("desk:parking_list", malls, day_from=day, day_to=day),
                ),
                Figure(
                    _("Group purchases to deliver"),
                    groups["to_deliver"],
                    list_url("desk:group_list", malls, status="ordered"),
                    level="warning" if groups["to_deliver"] else "ok",
                ),
                Figure(
                    _("Group purchases not finished"),
                    groups["live"],
                    list_url("desk:group_list", malls, status="live"),
                ),
            ],
        )
    ]


# What is left open, for the handover and the home page: (key, permission,
# rows, kind, label, list, filters); the rows are those the list shows.
OPEN_QUEUES = [
    (
        "invoices_waiting",
        ISSUE_INVOICEREQUEST,
        _waiting_invoices,
        "desk.invoices_waiting",
        gettext_noop("Invoice requests awaiting finance"),
        "desk:invoice_list",
        {"status": "requested"},
    ),
    (
        "parking_failed",
        ADD_PARKINGVALIDATION,
        _failed_parking,
        "desk.parking_failed",
        gettext_noop("Parking validations the car park did not accept"),
        "desk:parking_list",
        {"status": "failed"},
    ),
    (
        "groups_to_deliver",
        HANDLE_GROUPPURCHASE,
        _to_deliver,
        "desk.groups_to_deliver",
        gettext_noop("Group purchases to deliver or collect payment for"),
        "desk:group_list",
        {"status": "with_marketing"},
    ),
]


def handover_counts(user: Any) -> dict[str, QuerySet]:
    """The querysets the handover counts, by key (one subquery each)."""
    return {
        key: rows(user)
        for key, permission, rows, *_rest in OPEN_QUEUES
        if user.has_perm(permission)
    }


def handover_items(row: dict[str, int], mall: Mall) -> list[HandoverItem]:
    return [
        HandoverItem(
            kind, label, row[key], f"{reverse(name)}?{urlencode({'mall': mall.pk, **filters})}"
        )
        for key, _permission, _rows, kind, label, name, filters in OPEN_QUEUES
        if key in row
    ]


def today_items(user: Any) -> list[TodayItem]:
    items = []
    for _key, permission, rows, _kind, label, name, filters in OPEN_QUEUES:
        if not user.has_perm(permission):
            continue
        n = rows(user).count()
        if n:
            # A failed send leaves a driver without the hours: urgent.
            urgent = permission == ADD_PARKINGVALIDATION
            items.append(TodayItem(_(label), n, f"{reverse(name)}?{urlencode(filters)}", urgent))
    return items


REFERENCE = re.compile(r"^(FP|TC|TG)-(\d{4})-(\d{1,5})$", re.IGNORECASE)


def search_hits(user: Any, query: str) -> list[SearchHit]:
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
