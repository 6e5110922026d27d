"""The working calendar with real dates: 2026 from the chinesecalendar
package, 2027 (which it does not cover) entered by a manager or counted as
weekends only with a warning, and a mall's days of other hours."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from pghistory.models import Events

from mallservice.audit import Source, actor_context
from mallservice.workdays.calendar import (
    PACKAGE_YEARS,
    add_working_days,
    calendar_warnings,
    work_calendar,
)
from mallservice.workdays.hours import (
    OpeningHours,
    add_business_minutes,
    business_minutes_between,
    mall_open_intervals,
    mall_opening_hours,
)
from mallservice.workdays.models import CalendarYear, MallDayHours, StatutoryDay
from mallservice.workdays.services import calendar_year_enter, mall_day_hours_set

D = datetime.date
T = datetime.time
TZ = OpeningHours(T(10), T(22)).tz

TABLE_2027 = """
2027-01-01 休 元旦
2027-02-06~2027-02-12 休 春节
2027-02-14 班 春节
"""


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, T(hour, minute), TZ)


def test_the_package_covers_2026_and_not_2027():
    assert 2026 in PACKAGE_YEARS
    assert 2027 not in PACKAGE_YEARS


def test_2026_holidays_and_make_up_workdays_come_from_the_package():
    calendar = work_calendar()
    # 国庆 2026: 1–7 October off; Sunday 20 September and Saturday 10 October worked.
    assert all(calendar.is_holiday(D(2026, 10, day)) for day in range(1, 8))
    assert calendar.is_workday(D(2026, 9, 20)) and D(2026, 9, 20).weekday() == 6
    assert calendar.is_workday(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5
    # 春节 2026: 15–23 February off, Saturday 14 and 28 February worked.
    assert calendar.is_holiday(D(2026, 2, 16)) and calendar.is_holiday(D(2026, 2, 23))
    assert calendar.is_workday(D(2026, 2, 14)) and calendar.is_workday(D(2026, 2, 28))
    with translation.override("zh-hans"):
        assert calendar.special(D(2026, 10, 2)) == ("holiday", "国庆节")
    assert calendar.special(D(2026, 10, 12)) is None  # an ordinary Monday


def test_a_deadline_spanning_national_day_2026_moves_past_the_holiday():
    # Ten working days from Tuesday 29 September: 30 Sep, then 8, 9, 10 (a
    # make-up Saturday), 12–16 and 19 October.
    assert add_working_days(D(2026, 9, 29), 10) == D(2026, 10, 19)
    # One working day from 30 September is not 2 October but the 8th.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # Counted over the make-up Saturday: from Friday 9 October, one day is the 10th.
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


@pytest.mark.django_db
def test_a_year_without_a_table_counts_weekends_only_and_warns():
    # given no 2027 table
    calendar = work_calendar()
    assert not calendar.covered(2027)
    # then 1 January 2027 (a Friday) counts as a working day
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    # and from December the dashboard warns about next year
    assert len(calendar_warnings(D(2026, 12, 2))) == 1
    assert calendar_warnings(D(2026, 11, 30)) == []
    # and in 2027 itself it says that weekends only are counted
    assert "2027" in calendar_warnings(D(2027, 3, 1))[0]


@pytest.mark.django_db
def test_a_manager_enters_2027_and_the_calendar_uses_it(manager_user, client):
    # given the manager enters 2027's table (as the State Council published it)
    with actor_context(actor_id=manager_user.pk, source=Source.WEB):
        year = calendar_year_enter(
            actor=manager_user, year=2027, text=TABLE_2027, note="国办发明电"
        )
    # then the year has its days, with the actor in the audit trail
    assert year.days.count() == 1 + 7 + 1
    event = Events.objects.tracks(year).order_by("-pgh_created_at", "-pgh_id").first()
    assert event.pgh_context["user"] == manager_user.pk
    # and the calendar counts them (the cached table was dropped on commit)
    calendar = work_calendar()
    assert calendar.covered(2027)
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.is_workday(D(2027, 2, 14))  # a Sunday worked
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 14)
    # and the warnings are gone
    assert calendar_warnings(D(2026, 12, 2)) == []
    assert calendar_warnings(D(2027, 3, 1)) == []


@pytest.mark.django_db
def test_entering_a_year_again_replaces_its_table(manager_user):
    calendar_year_enter(actor=manager_user, year=2027, text=TABLE_2027)
    calendar_year_enter(actor=manager_user, year=2027, text="2027-01-01 休 元旦")
    assert list(StatutoryDay.objects.values_list("day", flat=True)) == [D(2027, 1, 1)]
    assert CalendarYear.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "text", "field", "code"),
    [
        (2026, "2026-10-01 休 国庆节", "year", "package_year"),
        (2027, "2027-01-01 rest", "days", "bad_line"),
        (2027, "2027-02-31 休 春节", "days", "bad_line"),
        (2027, "2028-01-01 休 元旦", "days", "other_year"),
        (2027, "2027-01-01 休\n2027-02-03 班 春节", "days", "workday_on_weekday"),
        (2027, "2027-01-01 休\n2027-01-01 休", "days", "duplicate_day"),
        (2027, "2027-02-14 班 春节", "days", "no_holidays"),
    ],
)
def test_a_wrong_table_is_refused_and_nothing_is_saved(manager_user, year, text, field, code):
    with pytest.raises(ValidationError) as exc:
        calendar_year_enter(actor=manager_user, year=year, text=text)
    assert exc.value.error_dict[field][0].code == code
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_only_a_manager_enters_a_year_or_a_malls_hours(supervisor_user, mall):
    with pytest.raises(PermissionDenied):
        calendar_year_enter(actor=supervisor_user, year=2027, text=TABLE_2027)
    with pytest.raises(PermissionDenied):
        mall_day_hours_set(
            actor=supervisor_user,
            mall=mall,
            day=D(2026, 2, 16),
            closed=True,
            opens_at=None,
            closes_at=None,
            reason="除夕",
        )


def test_a_promotion_night_with_extended_hours_counts_until_it_closes():
    # given the usual 10:00–22:00 and a 双十二 night sale until 02:00
    usual = OpeningHours(T(10), T(22))
    sale = OpeningHours(T(10), T(22), days={D(2026, 12, 12): (T(10), T(2))})
    # then three hours from 21:00 end at midnight instead of the next noon
    assert add_business_minutes(at(D(2026, 12, 12), 21), 180, usual) == at(D(2026, 12, 13), 12)
    assert add_business_minutes(at(D(2026, 12, 12), 21), 180, sale) == at(D(2026, 12, 13), 0)
    # and a clock started at 00:30 inside the sale still runs
    assert add_business_minutes(at(D(2026, 12, 13), 0, 30), 60, sale) == at(D(2026, 12, 13), 1, 30)
    assert business_minutes_between(at(D(2026, 12, 12), 21), at(D(2026, 12, 13), 11), sale) == 360


@pytest.mark.django_db
def test_a_mall_closed_on_chuxi_counts_no_time_that_day(mall, manager_user):
    # given the mall closed on 除夕 (16 February 2026) and open 12:00–18:00 on 初一
    for day, closed, hours, reason in [
        (D(2026, 2, 16), True, (None, None), "除夕闭店"),
        (D(2026, 2, 17), False, (T(12), T(18)), "春节营业时间"),
    ]:
        mall_day_hours_set(
            actor=manager_user,
            mall=mall,
            day=day,
            closed=closed,
            opens_at=hours[0],
            closes_at=hours[1],
            reason=reason,
        )
    hours = mall_opening_hours(mall, since=at(D(2026, 2, 15), 21))
    # then two hours from 21:00 the evening before: one that night, one from noon on 初一
    assert add_business_minutes(at(D(2026, 2, 15), 21), 120, hours) == at(D(2026, 2, 17), 13)
    assert mall_open_intervals(mall, at(D(2026, 2, 15), 21), at(D(2026, 2, 18), 0)) == [
        (at(D(2026, 2, 15), 21), at(D(2026, 2, 15), 22)),
        (at(D(2026, 2, 17), 12), at(D(2026, 2, 17), 18)),
    ]


@pytest.mark.django_db
def test_setting_a_day_again_replaces_it_and_bad_hours_are_refused(mall, manager_user):
    def set_day(**kwargs):
        args = dict(day=D(2026, 12, 12), closed=False, reason="双十二")
        return mall_day_hours_set(actor=manager_user, mall=mall, **{**args, **kwargs})

    set_day(opens_at=T(10), closes_at=T(23))
    set_day(opens_at=T(10), closes_at=T(2))
    row = MallDayHours.objects.get()
    assert row.closes_at == T(2)
    with pytest.raises(ValidationError) as exc:
        set_day(opens_at=T(10), closes_at=None)
    assert exc.value.error_dict["opens_at"][0].code == "hours_missing"
    with pytest.raises(ValidationError) as exc:
        set_day(opens_at=T(10), closes_at=T(23), reason=" ")
    assert exc.value.error_dict["reason"][0].code == "required"
    assert MallDayHours.objects.get().closes_at == T(2)


@pytest.mark.django_db
def test_a_manager_sets_hours_only_for_their_own_malls(mall, other_mall):
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    # given a manager of one mall only
    manager = make_staff(role=Role.MANAGER, mall=mall, username="mall-manager")
    args = dict(day=D(2026, 12, 12), closed=True, opens_at=None, closes_at=None, reason="x")
    mall_day_hours_set(actor=manager, mall=mall, **args)
    # then another mall's hours are refused and nothing is saved there
    with pytest.raises(PermissionDenied):
        mall_day_hours_set(actor=manager, mall=other_mall, **args)
    assert list(MallDayHours.objects.values_list("mall_id", flat=True)) == [mall.pk]
