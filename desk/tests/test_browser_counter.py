"""The main paths of invoice requests, parking validation and group
purchases, in Chromium at the desk's 1366×768 screen."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from desk.models import GroupPurchase, InvoiceRequest, ParkingValidation
from desk.tests.carpark_server import SECRET, carpark_server
from desk.tests.factories import USCC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _second_screen(browser, live_server, user):
    """Another person's screen, logged in as `user`."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    screen = context.new_page()
    screen.set_default_timeout(15_000)
    screen.goto(f"{live_server.url}/accounts/login/")
    screen.fill("input[name=username]", user.username)
    screen.fill("input[name=password]", django_settings.DEMO_PASSWORD)
    screen.click("[data-testid=login-submit]")
    screen.wait_for_url(f"{live_server.url}/")
    return context, screen


def test_the_desk_records_an_invoice_request_and_finance_issues_and_emails_it(
    login, page, live_server, desk_user, supervisor_user, mall, browser
):
    # given desk staff at the invoice requests
    login(desk_user)
    page.goto(f"{live_server.url}/desk/invoices/")
    page.click("[data-testid=invoice-new]")
    # when they type a taxpayer number with a wrong check character
    page.fill("input[name=title]", "上海某某贸易有限公司")
    page.fill("input[name=taxpayer_number]", USCC[:-1] + "4")
    page.fill("input[name=amount]", "1280")
    page.fill("textarea[name=receipts]", "R001\nR002")
    page.fill("input[name=email]", "finance@example.com")
    page.click("[data-testid=invoice-submit]")
    # then the error is next to the field, in Chinese, the rest kept
    page.wait_for_selector("[data-testid=error-taxpayer_number]")
    assert "统一社会信用代码" in page.locator("[data-testid=error-taxpayer_number]").inner_text()
    assert page.input_value("textarea[name=receipts]") == "R001\nR002"
    page.fill("input[name=taxpayer_number]", USCC.lower())
    page.click("[data-testid=invoice-submit]")
    page.wait_for_selector("[data-testid=invoice-reference]")
    request = InvoiceRequest.objects.get()
    assert page.locator("[data-testid=invoice-reference]").inner_text() == request.reference
    assert "待财务开票" in page.locator("[data-testid=invoice-status]").inner_text()
    # desk staff have no issue button
    assert page.locator("[data-testid=invoice-issue]").count() == 0

    # when finance (the supervisor) opens the queue, issues and e-mails it
    context, screen = _second_screen(browser, live_server, supervisor_user)
    screen.goto(f"{live_server.url}/desk/invoices/")
    screen.click("[data-testid=invoice-queue]")
    screen.click(f"text={request.reference}")
    screen.once("dialog", lambda dialog: dialog.accept())
    screen.click("[data-testid=invoice-issue]")
    screen.wait_for_selector("[data-testid=invoice-number]")
    screen.click("[data-testid=invoice-email]")
    screen.wait_for_selector("[data-testid=invoice-status]:has-text('已发送邮件')")
    context.close()
    request.refresh_from_db()
    assert request.status == InvoiceRequest.Status.EMAILED
    assert request.decided_by == supervisor_user


def test_the_desk_validates_parking_and_the_car_park_applies_it(
    login, page, live_server, desk_user, mall, settings
):
    with carpark_server() as carpark:
        host, port = carpark.server_address
        settings.DESK_CARPARK_URL = f"http://{host}:{port}/api"
        settings.DESK_CARPARK_SECRET = SECRET
        # given desk staff with a customer's two receipts
        login(desk_user)
        page.goto(f"{live_server.url}/desk/parking/")
        page.click("[data-testid=parking-new]")
        assert "500" in page.locator("[data-testid=parking-rules]").inner_text()
        # when they mistype the plate first
        page.fill("input[name=plate]", "沪A3K72")
        page.fill("textarea[name=receipts]", "R001 320\nR002 199.50")
        page.click("[data-testid=parking-submit]")
        page.wait_for_selector("[data-testid=error-plate]")
        assert "车牌" in page.locator("[data-testid=error-plate]").inner_text()
        page.fill("input[name=plate]", "沪a·3k721")
        page.click("[data-testid=parking-submit]")
        # then 519.50 yuan gives 4 hours, applied at the car park
        page.wait_for_selector("[data-testid=parking-reference]")
        assert page.locator("[data-testid=parking-plate]").inner_text() == "沪A3K721"
        assert page.locator("[data-testid=parking-hours]").inner_text() == "4"
        assert "停车场已减免" in page.locator("[data-testid=parking-status]").inner_text()
        assert [p["plate"] for p in carpark.received] == ["沪A3K721"]
    validation = ParkingValidation.objects.get()
    assert validation.status == ParkingValidation.Status.APPLIED
    assert validation.recorded_by == desk_user


def test_a_group_purchase_is_quoted_ordered_and_delivered(
    login, page, live_server, desk_user, supervisor_user, mall, browser
):
    from django.utils import timezone

    # given desk staff recording a company's enquiry
    login(desk_user)
    page.goto(f"{live_server.url}/desk/group-purchases/")
    page.click("[data-testid=group-new]")
    page.fill("input[name=company]", "上海某某科技有限公司")
    page.fill("input[name=contact_name]", "王经理")
    page.fill("input[name=contact_phone]", "138 1234 5678")
    page.select_option("select[name=product]", "gift_card")
    page.fill("input[name=face_value]", "500")
    page.fill("input[name=quantity]", "100")
    page.fill("input[name=budget]", "48000")
    page.fill("input[name=wanted_on]", f"{timezone.localdate():%Y-%m-%d}")
    page.click("[data-testid=group-submit]")
    page.wait_for_selector("[data-testid=group-reference]")
    # the contact's phone is masked
    assert "138****5678" in page.content()
    # when they quote and the company accepts
    page.fill("input[name=total]", "48000")
    page.click("[data-testid=group-quote]")
    page.wait_for_selector("[data-testid=group-quoted]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=group-order]")
    page.wait_for_selector("[data-testid=group-status]:has-text('市场部')")
    purchase = GroupPurchase.objects.get()
    assert purchase.status == GroupPurchase.Status.ORDERED

    # when marketing (the supervisor) confirms the delivery from the month's list
    context, screen = _second_screen(browser, live_server, supervisor_user)
    screen.goto(f"{live_server.url}/desk/group-purchases/month/")
    assert screen.locator("[data-testid=group-month-total]").inner_text() == "48000.00"
    screen.click(f"text={purchase.reference}")
    screen.click("[data-testid=group-deliver]")
    screen.wait_for_selector("[data-testid=group-paid]")
    context.close()
    purchase.refresh_from_db()
    assert purchase.status == GroupPurchase.Status.DELIVERED and purchase.delivered_at
