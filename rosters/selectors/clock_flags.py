"""Reads of flagged clock-ins."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mallservice.selectors import scope_to_user_malls
from rosters import permissions as perms
from rosters.models import ClockFlag


def clock_flag_list(*, user: Any) -> QuerySet[ClockFlag]:
    qs = scope_to_user_malls(
        ClockFlag.objects.select_related("clock_event", "staff", "reviewed_by", "mall"), user=user
    )
    return qs if user.has_perm(perms.REVIEW_CLOCKFLAG) else qs.none()
