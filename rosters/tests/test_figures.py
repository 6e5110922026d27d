"""Issue 25, item 10: the daily report's and the dashboard's roster figures
agree with the shifts and the attendance list behind them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mallservice.clock import day_bounds
from mallservice.models import User
from mallservice.services import system_actor_id
from rosters import daily
from rosters.dashboard import panels
from rosters.services.attendance import clock_record
from rosters.tests.conftest import at

pytestmark = pytest.mark.django_db


def _line(section, label):
    return next(line.value for line in section.lines if line.label == label)


def test_the_daily_report_counts_the_shifts_rostered_that_day(mall, today_roster):
    # given two published shifts today and the system account as the
    # migration creates it (no mall of its own, not "all malls")
    User.objects.filter(pk=system_actor_id()).update(all_malls=False, mall=None)
    start, end = day_bounds(today_roster)

    # when the daily report's roster section is built
    section = daily.section(mall=mall, start=start, end=end)

    # then both shifts are counted
    assert _line(section, "Shifts rostered") == 2


def test_on_shift_now_counts_who_clocked_in_before_the_shift_starts(
    client, mall, today_roster, desk_user, supervisor_user
):
    # given desk_user on shift A (08:30) who clocked in at 08:20
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(today_roster, 8, 20))
    now = at(today_roster, 8, 25)

    # when the dashboard is built at 08:25
    figures = {
        f.label: f for p in panels(user=supervisor_user, malls=[mall], now=now) for f in p.figures
    }

    # then the figure shows the one person the attendance list shows on duty
    assert figures["当前在班"].value == 1
    assert figures["当前在班"].url.startswith(reverse("rosters:attendance"))
