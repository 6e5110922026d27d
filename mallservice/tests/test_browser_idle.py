"""Idle logout on a shared desk PC: a warning first, and what was typed is
kept and filled back in after signing in again (issue: counter faults)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import expect

from complaints.models import Complaint
from complaints.services.desk import desk_config_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_half_typed_complaint_survives_the_idle_logout(
    settings, login, page, live_server, desk_user, mall, shop
):
    # given a 9-second idle timeout (30 minutes at the desk)
    settings.IDLE_TIMEOUT_MINUTES = 0.15
    desk_config_ensure(mall=mall)
    login(desk_user)
    page.goto(f"{live_server.url}/complaints/new/")
    # when desk staff type a complaint in and are called away
    page.select_option("select[name=channel]", "desk")
    page.fill("input[name=complainant_name]", "王先生")
    page.fill("input[name=complainant_phone]", "13812345678")
    page.select_option("select[name=unit]", str(shop.pk))
    page.select_option("select[name=category]", label="服务态度")
    page.fill("textarea[name=description]", "店员态度冷淡，要求道歉")
    # then the page warns before the logout, then says it happened
    expect(page.locator("[data-testid=idle-warning]")).to_be_visible(timeout=9_000)
    expect(page.locator("[data-testid=idle-ended]")).to_be_visible(timeout=9_000)
    # when they come back and press save, the session is gone
    page.click("[data-testid=complaint-save]")
    page.wait_for_url("**/accounts/login/**")
    assert not Complaint.objects.exists()
    # and they sign in again
    page.fill("input[name=username]", desk_user.username)
    page.fill("input[name=password]", django_settings.DEMO_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{live_server.url}{reverse('complaints:create')}")
    # then the complaint is filled back in, and saying so
    expect(page.locator("[data-testid=draft-restored]")).to_be_visible()
    expect(page.locator("textarea[name=description]")).to_have_value("店员态度冷淡，要求道歉")
    expect(page.locator("input[name=complainant_name]")).to_have_value("王先生")
    expect(page.locator("select[name=unit]")).to_have_value(str(shop.pk))
    # and saving it now files it once, and the draft is gone
    settings.IDLE_TIMEOUT_MINUTES = 30
    page.click("[data-testid=complaint-save]")
    expect(page.locator("[data-testid=reference]")).to_be_visible()
    assert Complaint.objects.get().description == "店员态度冷淡，要求道歉"
    drafts = page.evaluate(
        "Object.keys(localStorage).filter(function (k) { return k.indexOf('draft:') === 0; })"
    )
    assert drafts == []
