"""Reads of the complaints desk, always scoped to the requesting user's
malls. One function serves both the list and the detail page, so what a user
can open is exactly what they can list."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from complaints.models import (
    Activity,
    Attachment,
    Category,
    Compensation,
    Complaint,
    PhoneCall,
    SlaState,
    Status,
    Summary,
)
from mallservice.clock import day_bounds
from mallservice.selectors import scope_to_user_malls


def complaint_list(*, user: Any) -> QuerySet[Complaint]:
    return scope_to_user_malls(Complaint.objects.for_list(), user=user)


def attachment_list(*, user: Any) -> QuerySet[Attachment]:
    """Attachments of the complaints the user may open (the file view)."""
    return Attachment.objects.filter(complaint__in=complaint_list(user=user)).select_related(
        "complaint"
    )


def complaint_filtered(*, user: Any, filters: dict[str, Any]) -> QuerySet[Complaint]:
    """The list with the desk's filters (each optional): mall, status
    category, status, category, floor, unit, handler, channel, severity,
    SLA state, received from/to, free text on reference/name; `live` (open
    or paused), SLA state "overdue" (breached or escalated) and compensation
    state serve the dashboard's links."""
    qs = complaint_list(user=user)
    if filters.get("sla_state") == "overdue":
        qs = qs.filter(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED])
        filters = {**filters, "sla_state": ""}
    if filters.get("live"):
        qs = qs.live()
    if filters.get("compensation"):
        qs = qs.filter(
            pk__in=Compensation.objects.filter(state=filters["compensation"]).values("complaint_id")
        )
    simple = {
        "mall": "mall",
        "status_category": "status_category",
        "status": "status",
        "state": "state",
        "category": "category",
        "floor": "floor",
        "unit": "unit",
        "channel": "channel",
        "severity": "severity",
        "sla_state": "sla_state",
        "handler_kind": "handler_kind",
        "handler_department": "handler_department",
    }
    for key, field in simple.items():
        value = filters.get(key)
        if value not in (None, ""):
            qs = qs.filter(**{field: value})
    if filters.get("handler"):
        qs = qs.filter(handler_name__icontains=filters["handler"])
    # Local days as time ranges: `received_at__date` would compare a
    # computed date, which no index serves.
    if filters.get("received_from"):
        qs = qs.filter(received_at__gte=day_bounds(filters["received_from"])[0])
    if filters.get("received_to"):
        qs = qs.filter(received_at__lt=day_bounds(filters["received_to"])[1])
    if filters.get("q", "").strip():
        qs = qs.filter(_free_text(filters["q"].strip()))
    return qs


_HAN = re.compile(r"[\u3400-\u9fff]")


def _free_text(text: str) -> Q:
    """The list's free text, each form through its own index: Chinese is
    the complainant's name (two characters: names starting with them, which
    a trigram index cannot serve; more: names containing them), anything
    else a reference or part of one."""
    if _HAN.search(text):
        if len(text) <= 2:
            return Q(complainant_name__startswith=text)
        return Q(complainant_name__contains=text)
    return Q(reference__icontains=text)


def complaint_list_for_member(*, user: Any, member: Any) -> QuerySet[Complaint]:
    """A member's complaints for the member page, newest first."""
    return complaint_list(user=user).filter(member=member).order_by("-received_at")


def complaint_detail(*, user: Any) -> QuerySet[Complaint]:
    """The detail page's queryset: events, compensations, attachments and
    duplicates fetched up front (a fixed number of queries)."""
    return (
        complaint_list(user=user)
        .select_related("merged_into", "created_by", "member__tier")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.select_related("actor")),
            Prefetch(
                "compensations",
                queryset=Compensation.objects.select_related("requested_by", "decided_by"),
            ),
            "attachments",
            "duplicates",
            "escalations",
        )
    )


def compensation_list(*, user: Any) -> QuerySet[Compensation]:
    return scope_to_user_malls(Compensation.objects.select_related("complaint"), user=user)


def category_list(*, user: Any, mall_id: int | None = None) -> QuerySet[Category]:
    qs = scope_to_user_malls(Category.objects.filter(is_active=True), user=user)
    return qs.filter(mall_id=mall_id) if mall_id else qs


def status_list(*, user: Any, mall_id: int | None = None) -> QuerySet[Status]:
    qs = scope_to_user_malls(Status.objects.filter(is_active=True), user=user)
    return qs.filter(mall_id=mall_id) if mall_id else qs


def phone_call_list(*, user: Any) -> QuerySet[PhoneCall]:
    return scope_to_user_malls(
        PhoneCall.objects.select_related("handled_by", "complaint", "mall"), user=user
    )


def summary_list(*, user: Any) -> QuerySet[Summary]:
    return scope_to_user_malls(Summary.objects.select_related("mall"), user=user)


def open_count(*, user: Any) -> int:
    return complaint_list(user=user).live().count()


def overdue_count(*, user: Any) -> int:
    return complaint_list(user=user).live().filter(sla_state__in=["breached", "escalated"]).count()
