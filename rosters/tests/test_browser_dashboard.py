"""In Chromium: the supervisor follows a dashboard figure to its list, and
the incoming colleague takes over a handover."""

from __future__ import annotations

import pytest

from complaints.tests.factories import make_complaint
from rosters.models import Handover
from rosters.services.handover import handover_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_follows_a_dashboard_figure_to_its_list(
    login, page, live_server, supervisor_user, desk_user, mall, shop
):
    # given two open complaints at the supervisor's mall
    first = make_complaint(actor=desk_user, mall=mall, unit=shop)
    second = make_complaint(actor=desk_user, mall=mall, unit=shop)
    login(supervisor_user)
    # when they open the dashboard and click "open complaints"
    page.goto(f"{live_server.url}/dashboard/")
    figure = page.locator("[data-testid=figure]", has_text="未结投诉").first
    assert figure.locator(".fs-4").inner_text() == "2"
    figure.click()
    # then the complaint list shows exactly those complaints
    page.wait_for_url("**/complaints/?**")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    body = page.locator("table").inner_text()
    assert first.reference in body and second.reference in body


def test_the_incoming_colleague_acknowledges_a_handover(
    login, page, live_server, desk_user, broadcaster_user, mall, roster
):
    # given desk staff handed over the desk with a note
    handover = handover_create(
        actor=desk_user, mall=mall, post=roster["posts"]["desk"], note="雨伞在二号抽屉"
    )
    # when the incoming colleague opens the waiting handover and takes over
    login(broadcaster_user)
    page.goto(f"{live_server.url}/rosters/handovers/")
    page.locator("[data-testid=handover-waiting] a").first.click()
    assert "雨伞在二号抽屉" in page.content()
    page.click("[data-testid=handover-acknowledge]")
    # then the page and the record show who took over
    page.wait_for_selector(f"[data-testid=handover-acknowledged]:has-text('{broadcaster_user}')")
    handover = Handover.objects.get(pk=handover.pk)
    assert handover.incoming_staff == broadcaster_user and handover.acknowledged_at
    assert page.locator("[data-testid=handover-acknowledge]").count() == 0
