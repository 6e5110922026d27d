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
