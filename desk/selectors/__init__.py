"""Reads of the desk registers, always scoped to the requesting user's
malls (one function serves lists, detail pages, actions and the hooks)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone

from desk.models import (
    FootageReview,
    Incident,
    IncidentFollowUp,
    ReleasePass,
    ReturnCase,
    ReturnStep,
    WalkInCategory,
    WalkInService,
)
from mallservice.clock import day_bounds
from mallservice.models import Mall
from mallservice.notifications.models import Message
from mallservice.selectors import scope_to_user_malls


def incident_list(*, user: Any) -> QuerySet[Incident]:
    return scope_to_user_malls(Incident.objects.for_list(), user=user)


def incident_rows(*, user: Any) -> QuerySet[Incident]:
    """The incident list's rows, newest first (`desk.filters.incidents.IncidentFilter`
    narrows them)."""
    # The list shows no long text and no recorder: those stay in the table.
    return (
        incident_list(user=user)
        .select_related(None)
        .select_related("floor", "unit")
        .defer("people_involved", "description", "actions_taken", "closing_note")
        .order_by("-occurred_at", "-pk")
    )


def incident_follow_ups(*, incident: Incident) -> QuerySet[IncidentFollowUp]:
    return incident.follow_ups.select_related("by").order_by("at", "pk")


def incident_notices(*, incident: Incident) -> QuerySet[Message]:
    """The incident's messages in the shared outbox (the duty manager's)."""
    return Message.objects.filter(source=incident.outbox_source).order_by("created_at", "pk")


def walkin_category_list(*, user: Any, mall: Mall) -> QuerySet[WalkInCategory]:
    """The mall's active tally buttons, in the admin's order."""
    return scope_to_user_malls(
        WalkInCategory.objects.filter(mall=mall, is_active=True), user=user
    ).order_by("order", "pk")


def walkin_service_list(*, user: Any) -> QuerySet[WalkInService]:
    return scope_to_user_malls(WalkInService.objects.all(), user=user)


def walkin_counts(*, user: Any, mall: Mall, day: datetime.date) -> dict[int, int]:
    """Services given at `mall` on `day` per category id (one query)."""
    start, end = day_bounds(day)
    rows = (
        walkin_service_list(user=user)
        .filter(mall=mall, at__gte=start, at__lt=end)
        .values("category_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["category_id"]: row["n"] for row in rows}


def walkin_count(*, user: Any, category: WalkInCategory, day: datetime.date) -> int:
    start, end = day_bounds(day)
    return (
        walkin_service_list(user=user)
        .filter(mall_id=category.mall_id, category=category, at__gte=start, at__lt=end)
        .count()
    )


def walkin_by_hour(
    *, user: Any, mall: Mall, day: datetime.date
) -> tuple[list[int], list[dict[str, Any]]]:
    """The desk's load on `day`: the hours that had any service, and per
    category its count in each of those hours and its total (one query;
    hours in local time — a service at 09:30 Shanghai is the 9 o'clock)."""
    start, end = day_bounds(day)
    rows = list(
        walkin_service_list(user=user)
        .filter(mall=mall, at__gte=start, at__lt=end)
        .annotate(hour=ExtractHour("at", tzinfo=timezone.get_current_timezone()))
        .values("category_id", "category__name", "hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hours = sorted({row["hour"] for row in rows})
    table: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = table.setdefault(
            row["category_id"], {"name": row["category__name"], "hours": {}, "total": 0}
        )
        entry["hours"][row["hour"]] = row["n"]
        entry["total"] += row["n"]
    categories = sorted(table.values(), key=lambda entry: (-entry["total"], entry["name"]))
    for entry in categories:
        entry["cells"] = [entry["hours"].get(hour, 0) for hour in hours]
    return hours, categories


def release_pass_list(*, user: Any) -> QuerySet[ReleasePass]:
    return scope_to_user_malls(
        ReleasePass.objects.select_related("mall", "unit", "unit__floor"), user=user
    )


def release_pass_by_code(*, user: Any, code: str) -> ReleasePass | None:
    """The pass security typed at the exit (case and spaces forgiven)."""
    text = "".join(code.split()).upper()
    if not text:
        return None
    return release_pass_list(user=user).filter(code=text).first()


def return_case_list(*, user: Any) -> QuerySet[ReturnCase]:
    return scope_to_user_malls(
        ReturnCase.objects.select_related("mall", "unit", "unit__floor"), user=user
    )


def return_steps(*, case: ReturnCase) -> QuerySet[ReturnStep]:
    return case.steps.select_related("by").order_by("at", "pk")


def footage_review_list(*, user: Any) -> QuerySet[FootageReview]:
    return scope_to_user_malls(FootageReview.objects.select_related("mall"), user=user)
