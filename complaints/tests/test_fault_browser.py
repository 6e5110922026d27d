"""Log a fault → record the fix → confirm and close, in Chromium."""

from __future__ import annotations

import pytest

from complaints.models import FaultReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_logs_a_fault_records_the_fix_and_closes_it(login, page, live_server, desk_user, shop):
    # given a desk user logged in
    login(desk_user)
    # when a broken light at the shop is logged
    page.goto(f"{live_server.url}/complaints/faults/new/")
    page.select_option("select[name=unit]", str(shop.pk))
    page.check("input[name=fault_type][value=lighting]")
    page.fill("textarea[name=description]", "店门口筒灯不亮")
    page.click("[data-testid=fault-save]")
    # then it has a BX reference and is with engineering
    page.wait_for_selector("[data-testid=action-fix]")
    reference = page.locator("[data-testid=reference]").inner_text()
    assert reference.startswith("BX-")
    assert "工程" in page.locator("[data-testid=handler]").inner_text()
    # when the engineer's fix is recorded
    page.click("[data-testid=open-fix]")
    page.fill("textarea[name=fix-fix_text]", "更换灯管")
    page.fill("input[name=fix-handler_name]", "李工")
    page.click("[data-testid=submit-fix]")
    # and the desk confirms and closes
    page.click("[data-testid=open-close]")
    page.click("[data-testid=submit-close]")
    page.wait_for_selector("[data-testid=state]:has-text('已确认并结案')")
    # then the timeline in Chinese tells the story
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert "李工" in timeline and "更换灯管" in timeline
    fault = FaultReport.objects.get(reference=reference)
    assert fault.state == FaultReport.State.CLOSED and fault.fixed_at and fault.closed_at
    assert fault.activities.get(code="closed").actor == desk_user
