"""The main paths of the returns and CCTV registers in a real browser."""

from __future__ import annotations

import pytest

from desk.models import ReturnCase, ReturnStep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_mediates_a_return_and_records_the_shops_confirmation(
    login, page, live_server, desk_user, mall, shop
):
    # given desk staff at the desk screen with a customer and her jumper
    login(desk_user)
    page.goto(f"{live_server.url}/desk/returns/")
    page.click("[data-testid=return-new]")
    # the rules are on the form
    assert "七日" in page.locator("[data-testid=return-rules]").inner_text()
    # when they record the case, first with a mistyped phone
    page.select_option("select[name=unit]", str(shop.pk))
    page.fill("input[name=customer_name]", "王女士")
    page.fill("input[name=customer_phone]", "1381234")
    page.fill("input[name=goods]", "羊毛衫 M 码")
    page.fill("input[name=receipt_number]", "POS-0098812")
    page.select_option("select[name=reason]", "size")
    page.fill("textarea[name=customer_request]", "尺码偏小，想换 L 码")
    page.click("[data-testid=return-submit]")
    # then the phone's error is next to it, the rest kept
    page.wait_for_selector("[data-testid=error-customer_phone]")
    assert page.input_value("input[name=goods]") == "羊毛衫 M 码"
    page.fill("input[name=customer_phone]", "13812345678")
    page.click("[data-testid=return-submit]")
    page.wait_for_selector("[data-testid=return-reference]")
    case = ReturnCase.objects.get()
    assert page.locator("[data-testid=return-reference]").inner_text() == case.reference
    assert "138****5678" in page.content()
    # when they note the shop's answer
    page.select_option("select[name=kind]", "shop_answer")
    page.fill("textarea[name=note]", "可换 L 码，吊牌完好")
    page.click("[data-testid=return-step]")
    page.wait_for_selector("text=可换 L 码，吊牌完好")
    assert "调解中" in page.locator("[data-testid=return-status]").inner_text()
    # and record the exchange as the shop's manager confirmed it (asked first)
    page.select_option("select[name=outcome]", "exchange")
    page.fill("input[name=shop_contact_name]", "李店长")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=return-settle]")
    # then the case is settled with the confirmation shown
    page.wait_for_selector("[data-testid=return-outcome]")
    assert "李店长" in page.locator("[data-testid=return-outcome]").inner_text()
    assert "已解决" in page.locator("[data-testid=return-status]").inner_text()
    case.refresh_from_db()
    assert case.status == ReturnCase.Status.SETTLED and case.shop_contact_name == "李店长"
    assert ReturnStep.objects.get().by == desk_user
    # and the slip prints it
    page.click("[data-testid=return-slip]")
    assert "李店长" in page.locator("[data-testid=return-slip-sheet]").inner_text()


def test_a_footage_request_is_approved_by_the_supervisor_and_its_viewing_recorded(
    login, page, live_server, desk_user, supervisor_user, mall, browser
):
    from django.conf import settings

    from desk.models import FootageReview

    # given desk staff recording a customer's request to see the footage
    login(desk_user)
    page.goto(f"{live_server.url}/desk/cctv/")
    page.click("[data-testid=footage-new]")
    page.select_option("select[name=requester_kind]", "customer")
    page.fill("input[name=requester_name]", "刘女士")
    page.select_option("select[name=reason]", "lost_item")
    page.fill("textarea[name=reason_detail]", "钱包可能遗失在 B1 扶梯附近")
    page.fill("input[name=cameras]", "B1-03, B1-04")
    page.click("[data-testid=footage-submit]")
    page.wait_for_selector("[data-testid=footage-reference]")
    review = FootageReview.objects.get()
    # then the desk cannot approve it: it waits for a supervisor
    assert page.locator("[data-testid=footage-approve]").count() == 0
    assert page.locator("[data-testid=footage-waiting]").count() == 1

    # when the supervisor, on a 390 px phone, approves it (asked first)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=username]", supervisor_user.username)
    phone.fill("input[name=password]", settings.DEMO_PASSWORD)
    phone.click("[data-testid=login-submit]")
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}{review.get_absolute_url()}")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("[data-testid=footage-approve]")
    phone.wait_for_selector("[data-testid=footage-decided]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()

    # when the desk shows the footage and records who watched it
    page.reload()
    page.fill("input[name=viewers]", "刘女士、安保 王刚")
    page.fill("textarea[name=findings]", "14:05 钱包从包中掉落，被保洁拾到")
    page.click("[data-testid=footage-view]")
    # then the viewing is on the record, by whom and when
    page.wait_for_selector("[data-testid=footage-viewing]")
    assert "刘女士、安保 王刚" in page.locator("[data-testid=footage-viewing]").inner_text()
    review.refresh_from_db()
    assert review.status == FootageReview.Status.VIEWED
    assert review.decided_by == supervisor_user and review.viewed_with == desk_user
