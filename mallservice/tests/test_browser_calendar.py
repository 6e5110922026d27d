"""The working calendar in Chromium: a manager closes the mall on 除夕 and
enters next year's holiday table, in Chinese, from the calendar page."""

from __future__ import annotations

import pytest

from mallservice.workdays.models import CalendarYear, MallDayHours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_sets_a_closed_day_and_enters_a_year(
    login, page, live_server, manager_user, mall
):
    login(manager_user)
    page.goto(f"{live_server.url}/calendar/?mall={mall.pk}")
    # the year without a table is said plainly
    assert page.get_by_text("无安排表：只按周末计算").first.is_visible()
    # when the manager closes the mall for a day
    page.click("[data-testid=calendar-hours-add]")
    page.fill("input[name=day]", "2027-02-05")
    page.check("input[name=closed]")
    page.fill("input[name=reason]", "除夕闭店")
    page.click("[data-testid=calendar-hours-save]")
    # then the calendar lists it
    page.wait_for_selector("[data-testid=calendar-hours]")
    assert "除夕闭店" in page.inner_text("[data-testid=calendar-hours]")
    assert MallDayHours.objects.get().closed
    # when a wrong line is typed for next year, the error is next to the field
    page.click("[data-testid=calendar-year-enter]")
    page.fill("textarea[name=days]", "2027-01-01 放假")
    page.click("[data-testid=calendar-year-save]")
    assert "第 1 行" in page.inner_text("[data-testid=error-days]")
    # and once corrected the year is entered
    page.fill("textarea[name=days]", "2027-01-01 休 元旦\n2027-02-06~2027-02-12 休 春节")
    page.click("[data-testid=calendar-year-save]")
    page.wait_for_selector("[data-testid=calendar-days-2027]")
    assert CalendarYear.objects.get().days.count() == 8
