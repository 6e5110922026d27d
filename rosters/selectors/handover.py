"""Reads of shift handovers (交接班)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from mallservice.models import Mall
from mallservice.selectors import scope_to_user_malls
from rosters.models import (
    Assignment,
    Handover,
    Post,
    Week,
)


def handover_list(*, user: Any) -> QuerySet[Handover]:
    """Handovers of the user's malls: the incoming colleague must see the
    ones waiting at their post, the supervisor every unacknowledged one."""
    return scope_to_user_malls(
        Handover.objects.select_related("post", "outgoing_staff", "incoming_staff", "mall"),
        user=user,
    )


def current_post(*, user: Any, mall: Mall, now: datetime.datetime) -> Post | None:
    """The post of the user's shift now, or of the shift that ended in the
    last three hours (a handover is written at or just after the end)."""
    assignment = (
        Assignment.objects.filter(
            mall=mall,
            staff=user,
            week__state=Week.State.PUBLISHED,
            starts_at__lte=now,
            ends_at__gt=now - datetime.timedelta(hours=3),
        )
        .select_related("post")
        .order_by("-starts_at")
        .first()
    )
    return assignment.post if assignment else None
