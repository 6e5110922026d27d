"""Reads of the rosters app, scoped to the requesting user's malls, and the
pure computations behind the grid (coverage) and attendance."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from mallservice.models import Mall, User
from mallservice.roles import Role, has_role
from mallservice.selectors import scope_to_user_malls, user_mall_ids
from rosters.models import (
    Assignment,
    ClockEvent,
    Handover,
    Inspection,
    LeaveRequest,
    OffPostRecord,
    Post,
    PostHourMinimum,
    PostQualification,
    RosterPolicy,
    ShiftType,
    SupplyAllowance,
    SupplyItem,
    SupplyRequisition,
    SwapRequest,
    TrainingSession,
    Week,
)

ROSTER_ROLES = (Role.DESK, Role.BROADCASTER, Role.SUPERVISOR)
TRAINING_TARGET_PER_MONTH = 2


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


def is_supervisor(user: Any) -> bool:
    return has_role(user, Role.SUPERVISOR, Role.MANAGER)


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


def staff_on_shift(*, mall: Mall, at: datetime.datetime) -> QuerySet[User]:
    """Staff whose published assignment at `mall` covers the moment `at`
    (for the members app's follow-up calls and the dashboard)."""
    return User.objects.filter(
        roster_assignments__mall=mall,
        roster_assignments__week__state=Week.State.PUBLISHED,
        roster_assignments__starts_at__lte=at,
        roster_assignments__ends_at__gt=at,
    ).distinct()


def staff_on_shift_on(*, mall_id: int, day: datetime.date) -> QuerySet[User]:
    """Staff with a published assignment at the mall on `day`, whatever the
    hour, and no approved leave that day (the members planner gives a day's
    follow-up calls to them). `staff_on_shift` answers for one moment."""
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
    return qs if is_supervisor(user) else qs.filter(state=Week.State.PUBLISHED)


def assignment_list(*, user: Any) -> QuerySet[Assignment]:
    """Supervisors see every assignment of their malls; staff see published
    ones (their colleagues' too, to pick a swap)."""
    qs = scope_to_user_malls(
        Assignment.objects.select_related("shift_type", "post", "staff", "week"), user=user
    )
    return qs if is_supervisor(user) else qs.filter(week__state=Week.State.PUBLISHED)


def my_schedule(*, user: Any, start: datetime.date, days: int = 14) -> QuerySet[Assignment]:
    return assignment_list(user=user).filter(
        staff=user,
        week__state=Week.State.PUBLISHED,
        date__gte=start,
        date__lt=start + datetime.timedelta(days=days),
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
    if is_supervisor(user):
        return qs
    return qs.filter(Q(requester=user) | Q(counterpart=user))


def leave_list(*, user: Any) -> QuerySet[LeaveRequest]:
    qs = scope_to_user_malls(
        LeaveRequest.objects.select_related("staff", "supervisor", "manager"), user=user
    )
    return qs if is_supervisor(user) else qs.filter(staff=user)


def off_post_list(*, user: Any) -> QuerySet[OffPostRecord]:
    qs = scope_to_user_malls(
        OffPostRecord.objects.select_related("staff", "covered_by", "post"), user=user
    )
    return qs if is_supervisor(user) else qs.filter(staff=user)


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


def inspection_list(*, user: Any) -> QuerySet[Inspection]:
    qs = scope_to_user_malls(Inspection.objects.select_related("staff", "inspector"), user=user)
    return qs if is_supervisor(user) else qs.filter(staff=user)


def training_list(*, user: Any) -> QuerySet[TrainingSession]:
    return scope_to_user_malls(
        TrainingSession.objects.prefetch_related("attendances__staff"), user=user
    )


def user_mall(user: Any, mall_id: Any = None) -> Mall | None:
    """The mall a page is about: the one asked for if the user may see it,
    else the user's home mall."""
    ids = user_mall_ids(user)
    try:
        wanted = int(mall_id) if mall_id not in (None, "") else None
    except (TypeError, ValueError):
        return None
    if wanted is not None:
        return Mall.objects.filter(pk=wanted).first() if wanted in ids else None
    if user.mall_id in ids:
        return user.mall
    return Mall.objects.filter(pk__in=ids).order_by("code").first()


# --- coverage --------------------------------------------------------------


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
    per post per hour with gaps, and the publish deadline."""
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
    rows = [
        {"person": person, "cells": [(day, cells.get((person.pk, day))) for day in days]}
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
    return {
        "rows": rows,
        "days": days,
        "posts": posts,
        "coverage_rows": coverage_rows,
        "gaps": gaps,
        "deadline": publish_deadline(mall=mall, week_start=week.week_start),
        "now_dt": timezone.now(),
    }


# --- attendance ------------------------------------------------------------


class DayStatus:
    UPCOMING = "upcoming"
    ON_DUTY = "on_duty"
    PRESENT = "present"
    ABSENT = "absent"  # 旷工: no clock-in and no approved leave
    ON_LEAVE = "on_leave"


@dataclass
class AttendanceDay:
    assignment: Assignment
    status: str
    clock_in: datetime.datetime | None = None
    clock_out: datetime.datetime | None = None
    minutes_late: int = 0
    minutes_early: int = 0
    missing_clock_out: bool = False

    @property
    def staff(self) -> User:
        return self.assignment.staff

    @property
    def is_exception(self) -> bool:
        """An attendance exception: absent, late, left early or no clock-out."""
        return (
            self.status == DayStatus.ABSENT
            or bool(self.minutes_late)
            or bool(self.minutes_early)
            or self.missing_clock_out
        )


def attendance_for_assignment(
    assignment: Assignment,
    events: list[ClockEvent],
    on_leave: bool,
    now: datetime.datetime,
) -> AttendanceDay:
    """The day's record for one shift from the punches around it. Grace is a
    threshold: 4 minutes late with 5 minutes' grace is on time, 12 minutes
    late is 12 minutes late."""
    shift = assignment.shift_type
    if on_leave:
        return AttendanceDay(assignment, DayStatus.ON_LEAVE)
    window_start = assignment.starts_at - datetime.timedelta(hours=3)
    window_end = assignment.ends_at + datetime.timedelta(hours=6)
    ins = [e.at for e in events if e.kind == "in" and window_start <= e.at < assignment.ends_at]
    if not ins:
        late_limit = assignment.starts_at + datetime.timedelta(minutes=shift.late_grace_minutes)
        status = DayStatus.UPCOMING if now <= late_limit else DayStatus.ABSENT
        return AttendanceDay(assignment, status)
    clock_in = min(ins)
    outs = [e.at for e in events if e.kind == "out" and clock_in < e.at <= window_end]
    clock_out = max(outs) if outs else None
    late = int((clock_in - assignment.starts_at).total_seconds() // 60)
    day = AttendanceDay(assignment, DayStatus.PRESENT, clock_in, clock_out)
    day.minutes_late = late if late > shift.late_grace_minutes else 0
    if clock_out is None:
        if now >= assignment.ends_at:
            day.missing_clock_out = True
        else:
            day.status = DayStatus.ON_DUTY
    else:
        early = int((assignment.ends_at - clock_out).total_seconds() // 60)
        day.minutes_early = early if early > shift.early_grace_minutes else 0
    return day


def attendance_days(
    *,
    user: Any,
    mall: Mall,
    start: datetime.date,
    end: datetime.date,
    staff: User | None = None,
    now: datetime.datetime | None = None,
) -> list[AttendanceDay]:
    """Records for every published shift of [start, end] (three queries)."""
    shifts = assignment_list(user=user).filter(mall=mall)
    if staff is not None:
        shifts = shifts.filter(staff=staff)
    return _attendance_of(shifts, start=start, end=end, now=now)


def mall_attendance_days(
    *, mall: Mall, start: datetime.date, end: datetime.date, now: datetime.datetime
) -> list[AttendanceDay]:
    """`attendance_days` of the whole mall for scheduled work (the daily
    report), which has no requesting user: reading through the system
    actor's malls would count nothing where that account sees no mall."""
    shifts = Assignment.objects.filter(mall=mall).select_related(
        "shift_type", "post", "staff", "week"
    )
    return _attendance_of(shifts, start=start, end=end, now=now)


def _attendance_of(
    shifts: QuerySet[Assignment],
    *,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None,
) -> list[AttendanceDay]:
    now = now or timezone.now()
    shifts = shifts.filter(week__state=Week.State.PUBLISHED, date__gte=start, date__lte=end)
    shifts = list(shifts.order_by("date", "staff__username"))
    if not shifts:
        return []
    people = {a.staff_id for a in shifts}
    events: dict[int, list[ClockEvent]] = defaultdict(list)
    for event in ClockEvent.objects.filter(
        staff_id__in=people,
        at__gte=min(a.starts_at for a in shifts) - datetime.timedelta(hours=3),
        at__lte=max(a.ends_at for a in shifts) + datetime.timedelta(hours=6),
    ):
        events[event.staff_id].append(event)
    leaves: dict[int, list[LeaveRequest]] = defaultdict(list)
    for leave in LeaveRequest.objects.filter(
        staff_id__in=people,
        state=LeaveRequest.State.APPROVED,
        start_date__lte=end,
        end_date__gte=start,
    ):
        leaves[leave.staff_id].append(leave)
    return [
        attendance_for_assignment(
            a,
            events[a.staff_id],
            any(lv.start_date <= a.date <= lv.end_date for lv in leaves[a.staff_id]),
            now,
        )
        for a in shifts
    ]


@dataclass
class MonthRow:
    staff: User
    shifts: int = 0
    present: int = 0
    late_count: int = 0
    late_minutes: int = 0
    early_count: int = 0
    early_minutes: int = 0
    absent: int = 0
    on_leave: int = 0
    missing_clock_out: int = 0
    off_post_flagged: int = 0
    inspection_avg: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, next_month - datetime.timedelta(days=1)


def monthly_report(
    *, user: Any, mall: Mall, month: datetime.date, now: datetime.datetime | None = None
) -> list[MonthRow]:
    """One row per staff member with attendance totals, flagged off-post
    absences and the average daily inspection score of the month."""
    first, last = month_bounds(month)
    rows: dict[int, MonthRow] = {}
    for day in attendance_days(user=user, mall=mall, start=first, end=last, now=now):
        row = rows.setdefault(day.assignment.staff_id, MonthRow(day.assignment.staff))
        row.shifts += 1
        if day.status in (DayStatus.PRESENT, DayStatus.ON_DUTY):
            row.present += 1
        elif day.status == DayStatus.ABSENT:
            row.absent += 1
        elif day.status == DayStatus.ON_LEAVE:
            row.on_leave += 1
        if day.minutes_late:
            row.late_count += 1
            row.late_minutes += day.minutes_late
        if day.minutes_early:
            row.early_count += 1
            row.early_minutes += day.minutes_early
        row.missing_clock_out += day.missing_clock_out
    tz = timezone.get_default_timezone()
    month_start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min), tz)
    month_end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min), tz
    )
    for record in off_post_list(user=user).filter(
        mall=mall, out_at__gte=month_start, out_at__lt=month_end, flagged_at__isnull=False
    ):
        if record.staff_id in rows:
            rows[record.staff_id].off_post_flagged += 1
    scores: dict[int, list[int]] = defaultdict(list)
    for inspection in inspection_list(user=user).filter(mall=mall, date__gte=first, date__lte=last):
        scores[inspection.staff_id].append(inspection.total)
    for staff_id, values in scores.items():
        if staff_id in rows:
            rows[staff_id].inspection_avg = round(sum(values) / len(values), 1)
    return sorted(rows.values(), key=lambda r: (r.staff.staff_no, r.staff.username))


def inspection_summary(*, user: Any, mall: Mall, month: datetime.date) -> list[dict[str, Any]]:
    """Per staff member: number of checks and the average of each score."""
    first, last = month_bounds(month)
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


def at_post_now(*, user: Any, mall: Mall, now: datetime.datetime | None = None) -> list[dict]:
    """ "Who is at the desk now": per post, the people rostered now with
    whether they clocked in and whether they are off post."""
    now = now or timezone.now()
    on_shift = list(
        assignment_list(user=user).filter(
            mall=mall,
            week__state=Week.State.PUBLISHED,
            starts_at__lte=now,
            ends_at__gt=now,
        )
    )
    people = [a.staff_id for a in on_shift]
    off = {
        r.staff_id: r
        for r in OffPostRecord.objects.filter(
            staff_id__in=people, back_at__isnull=True
        ).select_related("covered_by")
    }
    last_kind: dict[int, str] = {}
    for event in ClockEvent.objects.filter(
        staff_id__in=people, at__gte=now - datetime.timedelta(hours=16), at__lte=now
    ).order_by("at"):
        last_kind[event.staff_id] = event.kind
    result = []
    for post in Post.objects.filter(mall=mall, is_active=True):
        entries = []
        for a in on_shift:
            if a.post_id != post.pk:
                continue
            entries.append(
                {
                    "assignment": a,
                    "clocked_in": last_kind.get(a.staff_id) == ClockEvent.Kind.IN,
                    "off_post": off.get(a.staff_id),
                }
            )
        at_post = sum(1 for e in entries if e["clocked_in"] and not e["off_post"])
        result.append(
            {
                "post": post,
                "entries": entries,
                "at_post": at_post,
                "short": at_post < post.min_staff,
            }
        )
    return result


# --- shift handover (交接班) -------------------------------------------------


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


# --- office supplies (办公用品) ----------------------------------------------


def supply_item_list(*, user: Any, mall: Mall) -> QuerySet[SupplyItem]:
    return scope_to_user_malls(SupplyItem.objects.filter(mall=mall, is_active=True), user=user)


def supply_requisition_list(*, user: Any) -> QuerySet[SupplyRequisition]:
    """Supervisors see every requisition of their malls; staff their own."""
    qs = scope_to_user_malls(
        SupplyRequisition.objects.select_related(
            "item", "post", "requested_by", "decided_by", "issued_by"
        ),
        user=user,
    )
    return qs if is_supervisor(user) else qs.filter(requested_by=user)


def month_range(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    first, last = month_bounds(month)
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min), tz)
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min), tz
    )
    return start, end


@dataclass
class SupplyUsageRow:
    post: str
    item: str
    unit: str
    expected: int
    used: int
    post_id: int = 0
    item_id: int = 0

    @property
    def over(self) -> bool:
        return self.used > self.expected

    @property
    def percent(self) -> int | None:
        return round(100 * self.used / self.expected) if self.expected else None


def supply_usage(*, user: Any, malls: list[Mall], month: datetime.date) -> list[SupplyUsageRow]:
    """Use against expected per post and item for one month (two aggregate
    queries). Use is what was issued in the month; an item issued to a post
    without an expected use counts as over."""
    start, end = month_range(month)
    mall_ids = [m.pk for m in malls]
    rows: dict[tuple[int, int], SupplyUsageRow] = {}
    allowances = scope_to_user_malls(SupplyAllowance.objects.all(), user=user).filter(
        mall_id__in=mall_ids
    )
    for a in allowances.values(
        "post_id", "item_id", "post__name", "item__name", "item__unit", "monthly_quantity"
    ):
        rows[(a["post_id"], a["item_id"])] = SupplyUsageRow(
            a["post__name"],
            a["item__name"],
            a["item__unit"],
            a["monthly_quantity"],
            0,
            a["post_id"],
            a["item_id"],
        )
    issued = (
        scope_to_user_malls(SupplyRequisition.objects.all(), user=user)
        .filter(
            mall_id__in=mall_ids,
            state=SupplyRequisition.State.ISSUED,
            issued_at__gte=start,
            issued_at__lt=end,
        )
        .values("post_id", "item_id", "post__name", "item__name", "item__unit")
        .annotate(used=Sum("quantity"))
    )
    for r in issued:
        key = (r["post_id"], r["item_id"])
        if key not in rows:
            rows[key] = SupplyUsageRow(
                r["post__name"], r["item__name"], r["item__unit"], 0, 0, *key
            )
        rows[key].used = r["used"] or 0
    return sorted(rows.values(), key=lambda r: (r.post, r.item))


def supply_requisition_counts(*, user: Any, malls: list[Mall]) -> dict[str, int]:
    """Open requisitions by state (one query), for the dashboard."""
    counts = (
        scope_to_user_malls(SupplyRequisition.objects.all(), user=user)
        .filter(mall_id__in=[m.pk for m in malls], state__in=SupplyRequisition.OPEN_STATES)
        .values("state")
        .annotate(n=Count("pk"))
    )
    return {row["state"]: row["n"] for row in counts}
