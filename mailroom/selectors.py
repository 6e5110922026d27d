"""Reads of the mailroom, always scoped to the requesting user's malls."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from mailroom import conf
from mailroom.models import (
    FoundItem,
    ItemClaim,
    LendableAsset,
    Loan,
    LostReport,
    OutgoingMail,
    Parcel,
    ParcelPickup,
    parcel_source,
)
from mailroom.services.common import normalise_tracking_number
from mallservice.clock import day_bounds, local_date
from mallservice.notifications.models import Message
from mallservice.selectors import scope_to_user_malls


def parcel_list(*, user: Any) -> QuerySet[Parcel]:
    return scope_to_user_malls(
        Parcel.objects.select_related(
            "mall", "recipient_unit__floor", "recipient_staff", "received_by", "pickup"
        ),
        user=user,
    )


def parcel_search(*, user: Any, query: str = "", waiting_only: bool = True) -> QuerySet[Parcel]:
    """Find parcels by pick-up code, tracking number or recipient
    (`parcel_text_match`)."""
    # Result rows show the recipient only: fewer joins to plan on a scan.
    qs = (
        parcel_list(user=user)
        .select_related(None)
        .select_related("recipient_unit__floor", "recipient_staff")
    )
    if waiting_only:
        qs = qs.filter(status=Parcel.Status.WAITING)
    return parcel_text_match(qs, query)


def parcel_text_match(qs: QuerySet[Parcel], query: str) -> QuerySet[Parcel]:
    """The parcels of `qs` that a pick-up code, tracking number or
    recipient names (all of them for no text).

    A code or a scanned tracking number is an exact, indexed match; only
    when it finds nothing do we fall back to the (slower) recipient search,
    so a scan stays fast at hundreds of thousands of parcels."""
    query = (query or "").strip()
    if not query:
        return qs
    if query.isdigit() and len(query) == 6:
        exact = qs.filter(Q(pickup_code=query) | Q(tracking_number=query))
        if exact.exists():
            return exact
    try:
        tracking = normalise_tracking_number(query)
    except ValidationError:
        tracking = None
    if tracking:
        exact = qs.filter(tracking_number=tracking)
        if exact.exists():
            return exact
    return qs.filter(
        Q(recipient_name__icontains=query)
        | Q(recipient_unit__name__icontains=query)
        | Q(recipient_unit__code__iexact=query)
        | Q(recipient_staff__display_name__icontains=query)
        | Q(recipient_phone__endswith=query)
    )


def parcel_overdue_q(stage: str) -> Q:
    """The dashboard's "overdue" parcels at `stage`: "reminded" (waiting past
    the reminder, the recipient was reminded) or "escalated" (past the
    escalation, the supervisor was told)."""
    if stage == "escalated":
        return Q(status=Parcel.Status.WAITING, escalation_sent_at__isnull=False)
    return Q(
        status=Parcel.Status.WAITING,
        reminder_sent_at__isnull=False,
        escalation_sent_at__isnull=True,
    )


def notification_list(*, user: Any) -> QuerySet[Message]:
    """The parcel notices in the shared outbox, in the user's malls."""
    return scope_to_user_malls(
        Message.objects.filter(source__startswith=parcel_source("")), user=user
    )


def pickup_list(*, user: Any) -> QuerySet[ParcelPickup]:
    return scope_to_user_malls(ParcelPickup.objects.select_related("handed_over_by"), user=user)


def register_for_day(*, user: Any, day: datetime.date) -> dict[str, Any]:
    """The daily register (邮件领取登记本): parcels received that day and
    parcels collected or returned that day."""
    start, end = day_bounds(day)
    qs = parcel_list(user=user).select_related("pickup__handed_over_by", "returned_by")
    received = list(qs.filter(received_at__gte=start, received_at__lt=end).order_by("received_at"))
    left = list(
        qs.filter(
            Q(pickup__at__gte=start, pickup__at__lt=end)
            | Q(returned_at__gte=start, returned_at__lt=end)
        )
    )
    # In the order they left the desk, whether collected or returned.
    left.sort(key=lambda p: (p.pickup.at if p.pickup_id else p.returned_at, p.pk))
    return {"received": received, "collected": left}


def outgoing_list(*, user: Any) -> QuerySet[OutgoingMail]:
    return scope_to_user_malls(
        OutgoingMail.objects.select_related("mall", "sender_staff", "batch", "logged_by"),
        user=user,
    )


def outgoing_monthly_cost(*, user: Any, year: int) -> list[dict[str, Any]]:
    """Cost of outgoing mail by month and department."""
    return list(
        outgoing_list(user=user)
        .filter(logged_at__year=year)
        .annotate(month=TruncMonth("logged_at"))
        .values("month", "sender_department")
        .annotate(total=Sum("cost"), items=Count("pk"))
        .order_by("month", "sender_department")
    )


def found_item_list(*, user: Any) -> QuerySet[FoundItem]:
    return scope_to_user_malls(
        FoundItem.objects.select_related("mall", "found_unit__floor", "logged_by"), user=user
    )


def found_nearing_limit_q(now: datetime.datetime | None = None) -> Q:
    """Held items whose retention ends within the warning days."""
    limit = local_date(now) + datetime.timedelta(days=conf.get("FOUND_WARNING_DAYS"))
    return Q(status=FoundItem.Status.HELD, retention_until__lte=limit)


def found_items_nearing_limit(*, user: Any, now: datetime.datetime | None = None):
    return found_item_list(user=user).filter(found_nearing_limit_q(now))


def found_item_matches(*, user: Any, report: LostReport) -> QuerySet[FoundItem]:
    """Held items that may be the reported one: same category, found on or
    after the day it was lost (up to 30 days later); those found in the same
    place come first."""
    start = day_bounds(report.lost_on - datetime.timedelta(days=1))[0]
    end = start + datetime.timedelta(days=32)
    qs = found_item_list(user=user).filter(
        mall_id=report.mall_id,
        status__in=[FoundItem.Status.HELD, FoundItem.Status.EXPIRED],
        category=report.category,
        found_at__gte=start,
        found_at__lt=end,
    )
    same_place = Q(pk__in=[])
    if report.lost_unit_id:
        same_place = Q(found_unit_id=report.lost_unit_id)
    elif report.lost_place:
        same_place = Q(found_place__icontains=report.lost_place)

    return qs.annotate(
        same_place=ExpressionWrapper(same_place, output_field=BooleanField())
    ).order_by(F("same_place").desc(nulls_last=True), "found_at")


def lost_report_list(*, user: Any) -> QuerySet[LostReport]:
    return scope_to_user_malls(
        LostReport.objects.select_related("lost_unit__floor", "found_item"), user=user
    )


def claim_list(*, user: Any) -> QuerySet[ItemClaim]:
    return scope_to_user_malls(
        ItemClaim.objects.select_related("item", "verified_by", "released_by", "logged_by"),
        user=user,
    )


def asset_list(*, user: Any) -> QuerySet[LendableAsset]:
    return scope_to_user_malls(
        LendableAsset.objects.select_related("mall", "service_changed_by"), user=user
    )


def loan_list(*, user: Any) -> QuerySet[Loan]:
    return scope_to_user_malls(
        Loan.objects.select_related("asset", "lent_by", "returned_to"), user=user
    )


def loans_open(*, user: Any) -> QuerySet[Loan]:
    return loan_list(user=user).filter(returned_at__isnull=True).order_by("due_at")


def loans_overdue(*, user: Any, now: datetime.datetime | None = None) -> QuerySet[Loan]:
    return loans_open(user=user).filter(due_at__lt=now or timezone.now())
