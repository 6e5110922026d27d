"""Reads of daily inspections (日常检查)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from mallservice.clock import month_days
from mallservice.models import Mall
from mallservice.selectors import scope_to_user_malls
from rosters import permissions as perms
from rosters.models import (
    Inspection,
)


def inspection_list(*, user: Any) -> QuerySet[Inspection]:
    qs = scope_to_user_malls(Inspection.objects.select_related("staff", "inspector"), user=user)
    return qs if user.has_perm(perms.VIEW_INSPECTION) else qs.filter(staff=user)


def inspection_summary(*, user: Any, mall: Mall, month: datetime.date) -> list[dict[str, Any]]:
    """Per staff member: number of checks and the average of each score."""
    first, last = month_days(month)
    grouped: dict[int, list[Inspection]] = defaultdict(list)
    for inspection in inspection_list(user=user).filter(mall=mall, date__gte=first, date__lte=last):
        grouped[inspection.staff_id].append(inspection)
    summary = []
    for items in grouped.values():
        row: dict[str, Any] = {"staff": items[0].staff, "count": len(items)}
        for name in Inspection.SCORE_FIELDS:
            row[name] = round(sum(getattr(i, name) for i in items) / len(items), 1)
        row["total"] = round(sum(i.total for i in items) / len(items), 1)
        summary.append(row)
    return sorted(summary, key=lambda r: r["staff"].username)
