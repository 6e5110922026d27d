from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desk.models import Incident, WalkInService
from mallservice.notifications.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_records_an_urgent_incident_and_the_supervisor_closes_it(
    login, page, live_server, desk_user, supervisor_user, mall, shop, browser
):
    # given desk staff at a 1366×768 desk screen
    login(desk_user)
    page.goto(f"{live_server.url}/desk/incidents/")
    page.click("[data-testid=incident-new]")
    # when they record an urgent lift failure, first forgetting what happened
    page.select_option("select[name=kind]", "lift")
    page.check("input[name=urgent]")
    page.select_option("select[name=unit]", str(shop.pk))
    page.fill("textarea[name=people_involved]", "两名顾客")
    page.fill("textarea[name=actions_taken]", "通知电梯维保")
    page.click("[data-testid=incident-submit]")
    # then the server answers in Chinese next to the field, the rest kept
    page.wait_for_selector("[data-testid=error-description]")
    assert "必填" in page.locator("[data-testid=error-description]").inner_text()
    assert page.input_value("textarea[name=people_involved]") == "两名顾客"
    page.fill("textarea[name=description]", "3号客梯困人约10分钟")
    page.click("[data-testid=incident-submit]")
    # then the incident page shows its reference and the notice, honestly unsent
    page.wait_for_selector("[data-testid=incident-reference]")
    incident = Incident.objects.get()
    assert page.locator("[data-testid=incident-reference]").inner_text() == incident.reference
    assert "仅记录，未发送" in page.locator("[data-testid=incident-notice]").inner_text()
    assert Message.objects.filter(source=f"incident:{incident.pk}").count() == 1
    # and desk staff cannot close it
    assert page.locator("[data-testid=incident-close]").count() == 0

    # when the supervisor, on a 390 px phone, adds the outcome and closes it
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=username]", supervisor_user.username)
    from django.conf import settings

    phone.fill("input[name=password]", settings.DEMO_PASSWORD)
    phone.click("[data-testid=login-submit]")
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}{incident.get_absolute_url()}")
    phone.fill("textarea[name=closing_note]", "维保到场解困，无人受伤")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("[data-testid=incident-close]")
    # then it is closed with its outcome, and the page fits the phone
    phone.wait_for_selector("[data-testid=incident-outcome]")
    assert "已结案" in phone.locator("[data-testid=incident-status]").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED and incident.closed_by == supervisor_user


def test_a_double_click_on_a_tally_button_counts_once(login, page, live_server, desk_user, mall):
    # given the tally buttons
    login(desk_user)
    page.goto(f"{live_server.url}/desk/walk-ins/")
    button = page.locator("[data-testid=tally-directions]")
    # when the desk double-clicks 指路, then clicks once more after the answer
    button.dblclick()
    count = page.locator("[data-testid=tally-count-directions]")
    expect(count).to_have_text("1")
    page.wait_for_timeout(300)
    page.locator("[data-testid=tally-directions]").click()
    expect(count).to_have_text("2")
    # then two services are counted, today, by this desk
    rows = WalkInService.objects.filter(category__code="directions")
    assert rows.count() == 2
    assert all(row.by == desk_user for row in rows)
    assert all(timezone.localdate(row.at) == timezone.localdate() for row in rows)


def test_a_shop_pass_is_approved_at_the_desk_and_used_once_at_the_exit(
    login, page, live_server, desk_user, mall, shop, browser
):
    from django.conf import settings

    from desk.models import ReleasePass

    # given desk staff at the desk screen recording a shop's request
    login(desk_user)
    page.goto(f"{live_server.url}/desk/passes/")
    page.click("[data-testid=pass-new]")
    page.select_option("select[name=unit]", str(shop.pk))
    page.fill("input[name=contact_name]", "李店长")
    page.fill("textarea[name=items]", "换季退仓服装")
    page.fill("input[name=quantity]", "12")
    page.fill("input[name=vehicle]", "沪A3K721")
    page.click("[data-testid=pass-submit]")
    page.wait_for_selector("[data-testid=pass-reference]")
    # when they approve it (asked first)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=pass-approve]")
    page.wait_for_selector("[data-testid=pass-slip]")
    release = ReleasePass.objects.get()
    assert release.status == ReleasePass.Status.APPROVED

    # when security at the exit types the code on a 390 px phone
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=username]", desk_user.username)
    phone.fill("input[name=password]", settings.DEMO_PASSWORD)
    phone.click("[data-testid=login-submit]")
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/desk/passes/check/")
    phone.fill("input[name=code]", release.code.lower())
    phone.click("[data-testid=pass-check-submit]")
    # then the pass is valid, and letting the goods out uses it
    assert "有效" in phone.locator("[data-testid=pass-verdict]").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("[data-testid=pass-use]")
    phone.wait_for_selector("[data-testid=pass-verdict]")
    assert "已使用过" in phone.locator("[data-testid=pass-verdict]").inner_text()
    assert phone.locator("[data-testid=pass-use]").count() == 0
    context.close()
    release.refresh_from_db()
    assert release.status == ReleasePass.Status.USED and release.used_by == desk_user
