"""Reads of the weekly roster: the mall's rules, who can be rostered,
who is on shift, the week grid with its coverage per post and hour."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mallservice.models import Mall, User
from mallservice.roles import Role
from mallservice.selectors import scope_to_user_malls
from mallservice.workdays.calendar import work_calendar
from rosters import permissions as perms
from rosters.models import (
    Assignment,
    LeaveRequest,
    Post,
    PostHourMinimum,
    PostQualification,
    RosterPolicy,
    ShiftType,
    Week,
)

ROSTER_ROLES = (Role.DESK, Role.BROADCASTER, Role.SUPERVISOR)


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def policy_for(mall: Mall) -> RosterPolicy:
    """The mall's rules, or the defaults when none were saved."""
    return RosterPolicy.objects.filter(mall=mall).first() or RosterPolicy(mall=mall)


def publish_deadline(*, mall: Mall, week_start: datetime.date) -> datetime.datetime:
    """Next week's roster is due by the end of the policy's weekday of the
    week before (e.g. Thursday 23:59:59)."""
    day = (
        week_start
        - datetime.timedelta(days=7)
        + datetime.timedelta(days=policy_for(mall).publish_weekday)
    )
    tz = timezone.get_default_timezone()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max), tz)


def staff_of_mall(mall: Mall) -> QuerySet[User]:
    """Active people who can be rostered at `mall`."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in ROSTER_ROLES])
        .filter(Q(mall=mall) | Q(extra_malls=mall))
        .distinct()
        .order_by("staff_no", "username")
    )


def is_qualified(*, staff: User, post: Post) -> bool:
    return PostQualification.objects.filter(staff=staff, post=post).exists()


def staff_on_shift_on(*, mall_id: int, day: datetime.date) -> QuerySet[User]:
    """Staff with a published assignment at the mall on `day`, whatever the
    hour, and no approved leave that day (the members planner gives a day's
    follow-up calls to them). `Assignment.objects.on_shift(at)` answers for
    one moment."""
    on_leave = LeaveRequest.objects.filter(
        state=LeaveRequest.State.APPROVED, start_date__lte=day, end_date__gte=day
    ).values("staff_id")
    return (
        User.objects.filter(
            roster_assignments__mall_id=mall_id,
            roster_assignments__week__state=Week.State.PUBLISHED,
            roster_assignments__date=day,
        )
        .exclude(pk__in=on_leave)
        .distinct()
    )


def shift_type_list(*, user: Any, mall: Mall) -> QuerySet[ShiftType]:
    return scope_to_user_malls(ShiftType.objects.filter(mall=mall, is_active=True), user=user)


def post_list(*, user: Any, mall: Mall) -> QuerySet[Post]:
    return scope_to_user_malls(Post.objects.filter(mall=mall, is_active=True), user=user)


def week_list(*, user: Any) -> QuerySet[Week]:
    qs = scope_to_user_malls(Week.objects.select_related("mall", "published_by"), user=user)
    return qs if user.has_perm(perms.PLAN_WEEK) else qs.filter(state=Week.State.PUBLISHED)


def assignment_list(*, user: Any) -> QuerySet[Assignment]:
    """Supervisors see every assignment of their malls; staff see published
    ones (their colleagues' too, to pick a swap)."""
    qs = scope_to_user_malls(
        Assignment.objects.select_related("shift_type", "post", "staff", "week"), user=user
    )
    return qs if user.has_perm(perms.PLAN_WEEK) else qs.filter(week__state=Week.State.PUBLISHED)


def my_schedule(*, user: Any, start: datetime.date, days: int = 14) -> QuerySet[Assignment]:
    return assignment_list(user=user).filter(
        staff=user,
        week__state=Week.State.PUBLISHED,
        date__gte=start,
        date__lt=start + datetime.timedelta(days=days),
    )


@dataclass
class CoverageCell:
    hour: int
    count: int
    minimum: int

    @property
    def gap(self) -> bool:
        return self.count < self.minimum


def min_cover(
    intervals: Iterable[tuple[datetime.datetime, datetime.datetime]],
    slot_start: datetime.datetime,
    slot_end: datetime.datetime,
) -> int:
    """The fewest people present at any moment of [slot_start, slot_end):
    a slot half covered counts as a gap."""
    clipped = [(max(s, slot_start), min(e, slot_end)) for s, e in intervals]
    clipped = [(s, e) for s, e in clipped if s < e]
    points = {slot_start, *(s for s, _e in clipped), *(e for _s, e in clipped if e < slot_end)}
    return min(sum(1 for s, e in clipped if s <= t < e) for t in points)


def coverage(
    *,
    mall: Mall,
    days: list[datetime.date],
    posts: list[Post],
    assignments: list[Assignment],
    hour_minimums: dict[tuple[int, int], int] | None = None,
) -> dict[int, dict[datetime.date, list[CoverageCell]]]:
    """post id → day → one cell per opening hour with the number of staff
    on it and the minimum for that hour (an hour's own minimum, else the
    post's). Overnight shifts of the day before count."""
    hour_minimums = hour_minimums or {}
    tz = timezone.get_default_timezone()
    by_post: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)
    for a in assignments:
        by_post[a.post_id].append((a.starts_at, a.ends_at))
    open_hour, close_hour = mall.opens_at.hour, mall.closes_at.hour
    if mall.closes_at.minute:
        close_hour += 1
    result: dict[int, dict[datetime.date, list[CoverageCell]]] = {}
    for post in posts:
        result[post.pk] = {}
        for day in days:
            opens = timezone.make_aware(datetime.datetime.combine(day, mall.opens_at), tz)
            closes = timezone.make_aware(datetime.datetime.combine(day, mall.closes_at), tz)
            # Only the shifts overlapping this day's opening hours: the grid
            # holds eight days of them (benchmark: the week page's hot spot).
            today = [(s, e) for s, e in by_post[post.pk] if s < closes and e > opens]
            cells = []
            for hour in range(open_hour, close_hour):
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), tz)
                end = min(start + datetime.timedelta(hours=1), closes)
                minimum = hour_minimums.get((post.pk, hour), post.min_staff)
                cells.append(CoverageCell(hour, min_cover(today, max(start, opens), end), minimum))
            result[post.pk][day] = cells
    return result


def week_grid(*, user: Any, week: Week) -> dict[str, Any]:
    """Everything the supervisor's grid shows: staff × day cells, coverage
    per post per hour with gaps, the publish deadline, and the statutory
    holidays and make-up workdays of the week (a shift on a holiday is
    marked: it is paid as holiday work)."""
    mall = week.mall
    days = week.days
    staff = list(staff_of_mall(mall))
    assignments = list(
        assignment_list(user=user).filter(
            mall=mall, date__gte=days[0] - datetime.timedelta(days=1), date__lte=days[-1]
        )
    )
    cells: dict[tuple[int, datetime.date], Assignment] = {
        (a.staff_id, a.date): a for a in assignments
    }
    posts = list(Post.objects.filter(mall=mall, is_active=True))
    hour_minimums = {
        (m.post_id, m.hour): m.min_staff for m in PostHourMinimum.objects.filter(mall=mall)
    }
    cover = coverage(
        mall=mall, days=days, posts=posts, assignments=assignments, hour_minimums=hour_minimums
    )
    # Approved leave is shown in its cells, so nobody is rostered over it
    # unseen (issue 25).
    leave: dict[tuple[int, datetime.date], LeaveRequest] = {}
    for request in LeaveRequest.objects.filter(
        staff_id__in=[person.pk for person in staff],
        state=LeaveRequest.State.APPROVED,
        start_date__lte=days[-1],
        end_date__gte=days[0],
    ):
        for day in days:
            if request.start_date <= day <= request.end_date:
                leave[(request.staff_id, day)] = request
    rows = [
        {
            "person": person,
            "cells": [
                (day, cells.get((person.pk, day)), leave.get((person.pk, day))) for day in days
            ],
        }
        for person in staff
    ]
    coverage_rows = []
    for post in posts:
        first_day = cover[post.pk][days[0]]
        hours = [
            (cell.hour, [cover[post.pk][day][i] for day in days])
            for i, cell in enumerate(first_day)
        ]
        coverage_rows.append({"post": post, "hours": hours})
    gaps = sum(cell.gap for post in posts for day in days for cell in cover[post.pk][day])
    calendar = work_calendar()
    day_heads = [(day, calendar.special(day)) for day in days]
    return {
        "day_heads": day_heads,
        "holidays": {day for day in days if calendar.is_holiday(day)},
        "rows": rows,
        "days": days,
        "posts": posts,
        "coverage_rows": coverage_rows,
        "gaps": gaps,
        "deadline": publish_deadline(mall=mall, week_start=week.week_start),
        "now_dt": timezone.now(),
    }
