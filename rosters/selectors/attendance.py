"""Attendance (考勤) computed from the roster and the punch log: a day's
record per shift, the monthly report, who is at the post now."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mallservice.clock import month_bounds, month_days
from mallservice.models import Mall, User
from mallservice.workdays.calendar import work_calendar
from rosters.models import (
    Assignment,
    ClockEvent,
    LeaveRequest,
    OffPostRecord,
    Post,
    Week,
)
from rosters.selectors.inspections import inspection_list
from rosters.selectors.off_post import off_post_list
from rosters.selectors.roster import assignment_list
from rosters.selectors.spot_checks import REPEATED_ABSENCES, confirmed_absence_counts


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
    # Shifts worked on a statutory holiday (法定节假日), paid as holiday work.
    holiday_shifts: int = 0
    # 离岗未报 confirmed by a supervisor after a spot check.
    undeclared_absences: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def repeated_undeclared_absences(self) -> bool:
        return self.undeclared_absences >= REPEATED_ABSENCES


def monthly_report(
    *, user: Any, mall: Mall, month: datetime.date, now: datetime.datetime | None = None
) -> list[MonthRow]:
    """One row per staff member with attendance totals, shifts worked on
    statutory holidays, flagged off-post absences, confirmed undeclared
    absences (离岗未报) and the average daily
    inspection score of the month."""
    first, last = month_days(month)
    calendar = work_calendar()
    rows: dict[int, MonthRow] = {}
    for day in attendance_days(user=user, mall=mall, start=first, end=last, now=now):
        row = rows.setdefault(day.assignment.staff_id, MonthRow(day.assignment.staff))
        row.shifts += 1
        if day.status in (DayStatus.PRESENT, DayStatus.ON_DUTY):
            row.present += 1
            if calendar.is_holiday(day.assignment.date):
                row.holiday_shifts += 1
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
    month_start, month_end = month_bounds(month)
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
    for staff_id, count in confirmed_absence_counts(user=user, mall=mall, month=month).items():
        if staff_id in rows:
            rows[staff_id].undeclared_absences = count
    return sorted(rows.values(), key=lambda r: (r.staff.staff_no, r.staff.username))


def at_post_now(*, user: Any, mall: Mall, now: datetime.datetime | None = None) -> list[dict]:
    """ "Who is at the desk now": per post, the people rostered now with
    whether they clocked in and whether they are off post."""
    now = now or timezone.now()
    on_shift = list(assignment_list(user=user).on_shift(now).filter(mall=mall))
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
                "staffing": f"{at_post}/{post.min_staff}",
            }
        )
    return result
