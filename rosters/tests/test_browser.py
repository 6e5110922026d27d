from __future__ import annotations

import datetime

import pytest

from rosters.models import Assignment, MealOrder, MealSheet, SwapRequest, Week
from rosters.services.roster import roster_policy_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_builds_and_publishes_a_week(
    login, page, live_server, supervisor_user, desk_user, colleague, roster, next_monday
):
    # given the supervisor on next week's empty roster
    login(supervisor_user)
    page.goto(f"{live_server.url}/rosters/week/?date={next_monday:%Y-%m-%d}")
    assert page.locator("[data-testid=week-state]").inner_text() == "草稿"
    # when they click desk_user's Monday cell and save shift A at the desk
    for person, code in ((desk_user, "A"), (colleague, "C")):
        page.click(f"[data-testid=cell-{person.username}-{next_monday:%Y-%m-%d}]")
        page.select_option("#assign-form [name=shift_type]", str(roster["shifts"][code].pk))
        page.select_option("#assign-form [name=post]", str(roster["posts"]["desk"].pk))
        page.click("[data-testid=assign-submit]")
        page.wait_for_selector(
            f"[data-testid=cell-{person.username}-{next_monday:%Y-%m-%d}] .badge"
        )
    # then the grid shows the shifts and coverage gaps
    cell = page.locator(f"[data-testid=cell-desk-{next_monday:%Y-%m-%d}]").inner_text()
    assert "A" in cell and "前台" in cell
    assert page.locator("[data-testid=coverage-desk] .rosters-gap").count() > 0
    # when they publish (confirming the dialog)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=publish-week]")
    page.wait_for_selector("[data-testid=week-state]:has-text('已发布')")
    # then the week is published by them and the assign form is gone
    week = Week.objects.get(week_start=next_monday)
    assert week.state == "published" and week.published_by == supervisor_user
    assert page.locator("#assign-form").count() == 0
    assert Assignment.objects.filter(week=week).count() == 2


def test_swap_is_requested_accepted_and_approved(
    login, page, live_server, published_week, supervisor_user, desk_user, colleague
):
    mine = Assignment.objects.get(staff=desk_user, date=published_week.week_start)
    theirs = Assignment.objects.get(staff=colleague, date=published_week.week_start)
    # given desk staff asks a colleague to swap Monday's shifts
    login(desk_user)
    page.goto(f"{live_server.url}/rosters/swaps/")
    page.select_option("[data-testid=swap-form] [name=mine]", str(mine.pk))
    page.select_option("[data-testid=swap-form] [name=theirs]", str(theirs.pk))
    page.fill("[data-testid=swap-form] [name=reason]", "孩子开家长会")
    page.click("[data-testid=swap-submit]")
    page.wait_for_selector("[data-testid=swap-state]:has-text('待同事确认')")
    swap = SwapRequest.objects.get()
    # when the colleague accepts
    page.context.clear_cookies()
    login(colleague)
    page.goto(f"{live_server.url}/rosters/swaps/")
    page.click(f"[data-testid=swap-{swap.pk}] [data-testid=swap-accept]")
    page.wait_for_selector("[data-testid=swap-state]:has-text('待主管审批')")
    mine.refresh_from_db()
    assert mine.staff == desk_user  # nothing moves before the supervisor approves
    # and the supervisor approves
    page.context.clear_cookies()
    login(supervisor_user)
    page.goto(f"{live_server.url}/rosters/swaps/")
    page.click(f"[data-testid=swap-{swap.pk}] [data-testid=swap-approve]")
    page.wait_for_selector("[data-testid=swap-state]:has-text('已批准')")
    # then both shifts have changed hands
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.staff, theirs.staff) == (colleague, desk_user)
    # and the colleague sees the morning shift in their own schedule
    page.context.clear_cookies()
    login(colleague)
    page.goto(f"{live_server.url}/rosters/")
    assert "08:30" in page.locator("[data-testid=my-schedule]").inner_text()
    assert datetime.date.today() <= published_week.week_start


def test_staff_order_a_meal_and_the_desk_marks_the_list_sent(
    login, page, live_server, mall, supervisor_user, desk_user, colleague, today_roster
):
    # given both cut-offs at the end of the day, so the meals are open whatever
    # the clock says when this runs
    roster_policy_set(
        actor=supervisor_user,
        mall=mall,
        lunch_cutoff=datetime.time(23, 59, 59),
        dinner_cutoff=datetime.time(23, 59, 59),
    )
    # when desk_user, on today's roster, ticks lunch with a note
    login(desk_user)
    page.goto(f"{live_server.url}/rosters/meals/")
    page.check("[data-testid=meal-form] [name=lunch]")
    page.fill("[data-testid=meal-form] [name=note]", "不吃辣")
    page.click("[data-testid=meal-submit]")
    page.wait_for_selector(".alert-success:has-text('订餐已保存')")
    order = MealOrder.objects.get(staff=desk_user, date=today_roster)
    assert (order.lunch, order.dinner, order.note) == (True, False, "不吃辣")
    # then the colleague at the desk sees it on the day's list under the desk's A shift
    page.context.clear_cookies()
    login(colleague)
    page.goto(f"{live_server.url}/rosters/meals/list/")
    row = page.locator(
        f"[data-testid=meal-group-desk-A] [data-testid=meal-row-{desk_user.username}]"
    )
    assert "不吃辣" in row.inner_text()
    assert page.locator("[data-testid=total-lunch]").inner_text() == "1"
    # and marks the lunch list sent (confirming the dialog)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=send-lunch]")
    page.wait_for_selector("[data-testid=meal-sheet-lunch] [data-testid=sheet-sent]")
    sheet = MealSheet.objects.get(date=today_roster, meal="lunch")
    assert (sheet.sent_by, sheet.meals_sent) == (colleague, 1)
    # so desk_user's lunch is now closed and only a late change can drop it
    page.context.clear_cookies()
    login(desk_user)
    page.goto(f"{live_server.url}/rosters/meals/")
    assert page.locator("[data-testid=meal-form] [name=lunch]").is_disabled()
    assert page.locator("[data-testid=meal-change-form]").is_visible()
