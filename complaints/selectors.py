"""Reads of the complaints desk, always scoped to the requesting user's
malls. One function serves both the list and the detail page, so what a user
can open is exactly what they can list."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from complaints.models import (
    Activity,
    Attachment,
    Category,
    Compensation,
    Complaint,
    PhoneCall,
    Status,
    Summary,
)
from mallservice.clock import month_days
from mallservice.selectors import scope_to_user_malls


def complaint_list(*, user: Any) -> QuerySet[Complaint]:
    return scope_to_user_malls(Complaint.objects.for_list(), user=user)


def attachment_list(*, user: Any) -> QuerySet[Attachment]:
    """Attachments of the complaints the user may open (the file view)."""
    return Attachment.objects.filter(complaint__in=complaint_list(user=user)).select_related(
        "complaint"
    )


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


def legal_deadline_report(
    *, user: Any, mall: Any, month: datetime.date, today: datetime.date
) -> list[dict[str, Any]]:
    """Per public channel, the complaints of `mall` whose legal deadline
    falls in `month`: how many, met (resolved by the end of the deadline's
    day, local time), missed (resolved later, or still open after it) and
    still running. One aggregate query."""
    first, last = month_days(month)
    on_time = Q(resolved_at__date__lte=F("legal_due_on"))
    late = Q(resolved_at__date__gt=F("legal_due_on"))
    open_past = Q(resolved_at__isnull=True, legal_due_on__lt=today)
    rows = (
        complaint_list(user=user)
        .select_related(None)
        .filter(mall=mall, legal_due_on__range=(first, last))
        .exclude(state=Complaint.State.MERGED)
        .values("channel")
        .order_by("channel")
        .annotate(
            total=Count("pk"),
            met=Count("pk", filter=on_time),
            missed=Count("pk", filter=late | open_past),
            running=Count("pk", filter=Q(resolved_at__isnull=True, legal_due_on__gte=today)),
        )
    )
    labels = dict(Complaint._meta.get_field("channel").choices)
    return [{**row, "label": labels.get(row["channel"], row["channel"])} for row in rows]
