"""A walk-in complaint → assign → response → callback → close, in Chromium."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from complaints.models import Complaint
from complaints.services.desk import desk_config_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_walk_in_complaint_is_assigned_answered_called_back_and_closed(
    login, page, live_server, desk_user, mall, shop
):
    # given the desk's categories and a desk user logged in
    desk_config_ensure(mall=mall)
    login(desk_user)
    # when a walk-in customer's complaint is typed in
    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("select[name=channel]", "desk")
    page.fill("input[name=complainant_name]", "王先生")
    page.fill("input[name=complainant_phone]", "13812345678")
    page.select_option("select[name=unit]", str(shop.pk))
    page.select_option("select[name=category]", label="服务态度")
    page.fill("textarea[name=description]", "店员态度冷淡")
    page.click("[data-testid=complaint-save]")
    # then the slip shows the reference number
    reference = page.locator("[data-testid=reference]").inner_text()
    assert reference.startswith("TS-")
    page.click("[data-testid=to-detail]")
    # when assigned to the shop with a due time
    due = timezone.localtime() + datetime.timedelta(hours=3)
    page.select_option("select[name=assign-handler_kind]", "shop")
    page.select_option("select[name=assign-handler_unit]", str(shop.pk))
    page.fill("input[name=assign-due_at]", due.strftime("%Y-%m-%dT%H:%M"))
    page.click("[data-testid=submit-assign]")
    page.wait_for_selector("[data-testid=action-respond]")
    # and the shop's response is recorded on its behalf, then verified
    page.fill("textarea[name=respond-response]", "店长已道歉并赠送优惠券")
    page.click("[data-testid=submit-respond]")
    page.wait_for_selector("[data-testid=action-verify]")
    page.click("[data-testid=submit-verify]")
    # and the customer is called back
    page.wait_for_selector("[data-testid=action-callback]")
    page.check("input[name=callback-satisfaction][value=satisfied]")
    page.fill("textarea[name=callback-comment]", "顾客表示满意")
    page.click("[data-testid=submit-callback]")
    # and it is closed
    page.wait_for_selector("[data-testid=action-close]")
    page.click("[data-testid=submit-close]")
    page.wait_for_selector("[data-testid=action-reopen]")
    # then the complaint is closed and the timeline in Chinese tells the story
    assert page.locator("[data-testid=state]").inner_text() == "已结案"
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert "满意" in timeline
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.state == Complaint.State.CLOSED
    assert complaint.satisfaction == "satisfied"


def test_double_clicking_save_on_the_intake_records_one_complaint(
    login, page, live_server, desk_user, mall, shop
):
    # given the intake form filled in
    desk_config_ensure(mall=mall)
    login(desk_user)
    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("select[name=channel]", "desk")
    page.fill("input[name=complainant_name]", "王先生")
    page.fill("input[name=complainant_phone]", "13812345678")
    page.select_option("select[name=unit]", str(shop.pk))
    page.select_option("select[name=category]", label="服务态度")
    page.fill("textarea[name=description]", "店员态度冷淡")
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    # when save is clicked again while the first answer is on its way (a
    # double click on a slow day: the browser sends the form a second time)
    page.evaluate(
        """() => {
            const save = document.querySelector("[data-testid=complaint-save]");
            save.click();
            setTimeout(() => save.click(), 30);
        }"""
    )
    # then the slip of the one complaint is shown
    reference = page.locator("[data-testid=reference]").inner_text()
    assert len(posts) == 2
    assert Complaint.objects.get().reference == reference
