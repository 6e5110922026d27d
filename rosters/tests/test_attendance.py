from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import InternalError, transaction

from rosters.models import ClockEvent
from rosters.selectors.attendance import DayStatus, attendance_days, monthly_report
from rosters.services.attendance import (
    PIN_FAILURE_LIMIT,
    clock_pin_set,
    clock_record,
    clock_record_by_pin,
)
from rosters.services.leave import leave_request_approve, leave_request_create
from rosters.tests.conftest import at

pytestmark = pytest.mark.django_db


def _day(user, mall, day, now):
    return next(
        d
        for d in attendance_days(user=user, mall=mall, start=day, end=day, now=now)
        if d.staff.username == "desk"
    )


def test_late_within_grace_is_on_time_and_beyond_counts_every_minute(
    published_week, desk_user, supervisor_user, mall, next_monday
):
    # given A starts 08:30 with 5 minutes' grace
    tuesday = next_monday + datetime.timedelta(days=1)
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(next_monday, 8, 34))
    clock_record(staff=desk_user, mall=mall, kind="out", now=at(next_monday, 14, 31))
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(tuesday, 8, 42))
    clock_record(staff=desk_user, mall=mall, kind="out", now=at(tuesday, 14, 10))
    later = at(tuesday, 23)
    monday = _day(supervisor_user, mall, next_monday, later)
    assert (monday.status, monday.minutes_late, monday.minutes_early) == (DayStatus.PRESENT, 0, 0)
    tue = _day(supervisor_user, mall, tuesday, later)
    assert (tue.minutes_late, tue.minutes_early) == (12, 20)


def test_forgotten_clock_out_is_flagged_not_filled(
    published_week, desk_user, supervisor_user, mall, next_monday
):
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(next_monday, 8, 30))
    during = _day(supervisor_user, mall, next_monday, at(next_monday, 12))
    assert during.status == DayStatus.ON_DUTY and not during.missing_clock_out
    after = _day(supervisor_user, mall, next_monday, at(next_monday, 20))
    assert after.missing_clock_out and after.clock_out is None
    assert ClockEvent.objects.filter(staff=desk_user, kind="out").count() == 0


def test_absence_without_approved_leave_is_absent_and_approved_leave_is_not(
    published_week, desk_user, supervisor_user, mall, next_monday
):
    evening = at(next_monday + datetime.timedelta(days=1), 23)
    assert _day(supervisor_user, mall, next_monday, evening).status == DayStatus.ABSENT
    leave = leave_request_create(
        actor=desk_user,
        mall=mall,
        kind="personal",
        start_date=next_monday + datetime.timedelta(days=1),
        end_date=next_monday + datetime.timedelta(days=1),
        reason="x",
        now=at(next_monday, 7),
    )
    tuesday = next_monday + datetime.timedelta(days=1)
    # pending leave does not excuse the day
    assert _day(supervisor_user, mall, tuesday, evening).status == DayStatus.ABSENT
    leave_request_approve(actor=supervisor_user, leave=leave)
    assert _day(supervisor_user, mall, tuesday, evening).status == DayStatus.ON_LEAVE
    report = {
        r.staff.username: r
        for r in monthly_report(user=supervisor_user, mall=mall, month=tuesday, now=evening)
    }
    assert report["desk"].on_leave == 1


def test_clocking_in_twice_is_refused(desk_user, mall, next_monday):
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(next_monday, 8))
    with pytest.raises(ValidationError) as exc:
        clock_record(staff=desk_user, mall=mall, kind="in", now=at(next_monday, 8, 1))
    assert exc.value.code == "already_in"
    clock_record(staff=desk_user, mall=mall, kind="out", now=at(next_monday, 8, 2))
    with pytest.raises(ValidationError) as exc:
        clock_record(staff=desk_user, mall=mall, kind="out", now=at(next_monday, 8, 3))
    assert exc.value.code == "not_in"


def test_pin_on_the_shared_screen_clocks_the_pin_owner(desk_user, mall, next_monday):
    desk_user.staff_no = "K001"
    desk_user.save()
    clock_pin_set(actor=desk_user, staff=desk_user, mall=mall, pin="2468")
    event = clock_record_by_pin(
        mall=mall, username="K001", pin="2468", kind="in", now=at(next_monday, 8)
    )
    assert event.staff == desk_user and event.via == "pin"
    with pytest.raises(ValidationError) as exc:
        clock_record_by_pin(mall=mall, username="K001", pin="0000", kind="out")
    assert exc.value.code == "bad_pin"


def test_wrong_pins_lock_the_staff_number_not_the_screen(desk_user, mall, next_monday):
    from django.core.cache import cache

    from mallservice.tests.factories import make_staff

    cache.clear()
    colleague = make_staff(role="desk_staff", mall=mall, username="colleague", staff_no="K002")
    desk_user.staff_no = "K001"
    desk_user.save()
    clock_pin_set(actor=desk_user, staff=desk_user, mall=mall, pin="2468")
    clock_pin_set(actor=colleague, staff=colleague, mall=mall, pin="1357")
    # given five wrong PINs for K001
    for _ in range(PIN_FAILURE_LIMIT):
        with pytest.raises(ValidationError):
            clock_record_by_pin(mall=mall, username="K001", pin="0000", kind="in")
    # then even the right PIN is refused for a while
    with pytest.raises(ValidationError) as exc:
        clock_record_by_pin(mall=mall, username="K001", pin="2468", kind="in")
    assert exc.value.code == "pin_locked"
    # and a colleague on the same screen still clocks in
    event = clock_record_by_pin(
        mall=mall, username="K002", pin="1357", kind="in", now=at(next_monday, 8)
    )
    assert event.staff == colleague


def test_clock_log_is_append_only(desk_user, mall, next_monday):
    event = clock_record(staff=desk_user, mall=mall, kind="in", now=at(next_monday, 8))
    with pytest.raises(InternalError), transaction.atomic():
        ClockEvent.objects.filter(pk=event.pk).update(at=at(next_monday, 7))
