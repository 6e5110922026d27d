"""Rosters on the working calendar: the week of 国庆 2026 shows its
statutory holidays and the make-up Saturday, a shift on a holiday is
marked, and the monthly report counts the holiday shifts worked (paid as
holiday work)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from rosters.selectors.attendance import monthly_report
from rosters.selectors.roster import week_grid
from rosters.services.attendance import clock_record
from rosters.tests.conftest import at

pytestmark = pytest.mark.django_db

OCT = datetime.date(2026, 10, 5)  # the Monday after 1 October 2026


@pytest.fixture(autouse=True)
def _week_before_national_day():
    # "next Monday" is 5 October 2026: the week of 5–11 October.
    with time_machine.travel(datetime.datetime(2026, 9, 28, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_week_grid_marks_the_holidays_and_the_holiday_shifts(
    client, published_week, supervisor_user
):
    assert published_week.week_start == OCT
    grid = week_grid(user=supervisor_user, week=published_week)
    heads = dict(grid["day_heads"])
    # 5–7 October are National Day holidays; Saturday the 10th is worked
    assert heads[OCT][0] == "holiday"
    assert heads[datetime.date(2026, 10, 10)][0] == "workday"
    assert heads[datetime.date(2026, 10, 8)] is None
    assert grid["holidays"] == {OCT + datetime.timedelta(days=i) for i in range(3)}
    client.force_login(supervisor_user)
    page = client.get(reverse("rosters:week") + f"?date={OCT}").content.decode()
    assert page.count('data-testid="day-holiday"') == 3
    assert 'data-testid="day-workday"' in page
    # desk_user and the colleague work Mon–Fri: three holiday shifts each
    assert page.count('data-testid="cell-holiday-shift"') == 6


def test_the_monthly_report_counts_holiday_shifts_worked(
    published_week, desk_user, supervisor_user, mall
):
    # given the desk worked Monday 5 October (a holiday) and Thursday the 8th
    for day in (OCT, datetime.date(2026, 10, 8)):
        clock_record(staff=desk_user, mall=mall, kind="in", now=at(day, 8, 30))
        clock_record(staff=desk_user, mall=mall, kind="out", now=at(day, 14, 30))
    rows = {
        r.staff.username: r
        for r in monthly_report(user=supervisor_user, mall=mall, month=OCT, now=at(OCT, 23))
    }
    # then one of the two shifts worked is a holiday shift (the 6th and 7th were missed)
    assert rows["desk"].holiday_shifts == 1
