"""Reads of leave requests (请假)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mallservice.selectors import scope_to_user_malls
from rosters import permissions as perms
from rosters.models import (
    LeaveRequest,
)


def leave_list(*, user: Any) -> QuerySet[LeaveRequest]:
    qs = scope_to_user_malls(
        LeaveRequest.objects.select_related("staff", "supervisor", "manager"), user=user
    )
    return qs if user.has_perm(perms.APPROVE_LEAVEREQUEST) else qs.filter(staff=user)
