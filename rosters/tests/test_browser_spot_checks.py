"""The spot check (查岗) end to end in Chromium: the supervisor's check on a
phone finds a rostered, clocked-in person missing → the person sees the
undeclared absence (离岗未报) and explains → the supervisor confirms → the
monthly attendance report counts it."""

from __future__ import annotations

import pytest
import time_machine

from rosters.models import UndeclaredAbsence
from rosters.services.attendance import clock_record
from rosters.tests.conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_missing_person_explains_and_the_confirmed_absence_is_on_the_report(
    login, page, live_server, mall, supervisor_user, desk_user, today_roster
):
    # given desk_user on today's early shift (08:30–14:30), clocked in at 08:25,
    # and the mall's clock at 10:00
    with time_machine.travel(at(today_roster, 10), tick=True):
        clock_record(staff=desk_user, mall=mall, kind="in", now=at(today_roster, 8, 25))
        # when the supervisor, on a phone, finds the desk without them
        page.set_viewport_size({"width": 390, "height": 844})
        login(supervisor_user)
        page.goto(f"{live_server.url}/rosters/spot-checks/new/")
        assert page.locator("[data-testid=suggested-times] .badge").count() == 3
        checkbox = page.locator(f"[data-testid=present-{desk_user.username}]")
        assert checkbox.is_visible() and not checkbox.is_checked()
        page.click("[data-testid=spot-check-submit]")
        # then the result names them missing
        missing = page.locator("[data-testid=result-missing]")
        missing.wait_for()
        assert str(desk_user) in missing.inner_text()
        absence = UndeclaredAbsence.objects.get()
        assert absence.staff == desk_user

        # when desk_user logs in, the home page asks for an explanation
        page.context.clear_cookies()
        login(desk_user)
        page.click("a.list-group-item:has-text('待说明的离岗未报')")
        card = page.locator(f"[data-testid=absence-{absence.pk}]")
        assert "待本人说明" in card.locator("[data-testid=absence-state]").inner_text()
        card.locator("[name=explanation]").fill("顾客问路，带顾客去了停车场")
        card.locator("[data-testid=explain-submit]").click()
        page.wait_for_selector(
            f"[data-testid=absence-{absence.pk}] [data-testid=absence-state]:has-text('已说明')"
        )

        # and the supervisor confirms it
        page.context.clear_cookies()
        login(supervisor_user)
        page.goto(f"{live_server.url}/rosters/absences/?state=explained")
        card = page.locator(f"[data-testid=absence-{absence.pk}]")
        assert "带顾客去了停车场" in card.locator("[data-testid=absence-explanation]").inner_text()
        card.locator("[name=note]").fill("应先登记离岗")
        card.locator("[data-testid=absence-confirm]").click()
        page.wait_for_selector(".alert-success:has-text('已确认离岗未报')")
        absence.refresh_from_db()
        assert (absence.state, absence.reviewed_by) == ("confirmed", supervisor_user)

        # then the monthly attendance report shows 1 for desk_user
        page.goto(f"{live_server.url}/rosters/report/")
        cell = page.locator(f"[data-testid=undeclared-{desk_user.username}]")
        assert cell.inner_text() == "1"
