"""Reads of the off-post log (离岗登记)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mallservice.models import Mall
from mallservice.selectors import scope_to_user_malls
from rosters import permissions as perms
from rosters.models import (
    OffPostRecord,
)


def off_post_list(*, user: Any) -> QuerySet[OffPostRecord]:
    qs = scope_to_user_malls(
        OffPostRecord.objects.select_related("staff", "covered_by", "post"), user=user
    )
    return qs if user.has_perm(perms.VIEW_OFFPOSTRECORD) else qs.filter(staff=user)


def off_post_now(*, user: Any, mall: Mall) -> QuerySet[OffPostRecord]:
    """Everyone off post at `mall` right now. Staff see who is away from the
    desk on the off-post page too (`at_post_now`), so this is not limited to
    their own records."""
    return scope_to_user_malls(
        OffPostRecord.objects.filter(mall=mall, back_at__isnull=True).select_related(
            "staff", "post", "covered_by"
        ),
        user=user,
    )
