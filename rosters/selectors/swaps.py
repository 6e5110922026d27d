"""Reads of shift swaps (调班)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mallservice.selectors import scope_to_user_malls
from rosters import permissions as perms
from rosters.models import (
    SwapRequest,
)


def swap_list(*, user: Any) -> QuerySet[SwapRequest]:
    qs = scope_to_user_malls(
        SwapRequest.objects.select_related(
            "requester",
            "counterpart",
            "decided_by",
            "requester_assignment__shift_type",
            "requester_assignment__post",
            "counterpart_assignment__shift_type",
            "counterpart_assignment__post",
        ),
        user=user,
    )
    if user.has_perm(perms.APPROVE_SWAPREQUEST):
        return qs
    return qs.filter(Q(requester=user) | Q(counterpart=user))
