"""Who is on duty, for other apps (`mallservice.hooks.StaffingHook`): the
members planner gives a day's follow-up calls only to the staff rostered
that day, without importing this app."""

from __future__ import annotations

import datetime
from typing import Any

from rosters.models import Assignment, LeaveRequest, Week


def rostered(*, mall: Any, day: datetime.date) -> set[int] | None:
    """Ids of the staff with a published assignment at `mall` on `day`,
    whatever the hour, less those on approved leave that day; None when no
    published roster covers the day (the mall does not roster that week, so
    the caller decides without one)."""
    mall_id = getattr(mall, "pk", mall)
    week_start = day - datetime.timedelta(days=day.weekday())
    if not Week.objects.filter(
        mall_id=mall_id, week_start=week_start, state=Week.State.PUBLISHED
    ).exists():
        return None
    on_leave = LeaveRequest.objects.filter(
        state=LeaveRequest.State.APPROVED, start_date__lte=day, end_date__gte=day
    ).values("staff_id")
    return set(
        Assignment.objects.filter(mall_id=mall_id, week__state=Week.State.PUBLISHED, date=day)
        .exclude(staff_id__in=on_leave)
        .values_list("staff_id", flat=True)
    )
