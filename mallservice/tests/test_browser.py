from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_staff_logs_in_sees_chinese_home_switches_to_english_and_logs_out(
    login, page, live_server, desk_user
):
    # given desk staff at the login page, when they log in
    login(desk_user)
    # then the home page is in Chinese
    assert page.locator("[data-testid=home-title]").inner_text() == "您好，陈晓雯"
    assert "今日工作" in page.content()
    # when they switch to English
    page.click("[data-testid=language-switch] button[value=en]")
    page.wait_for_selector("text=Today's work")
    assert page.locator("[data-testid=home-title]").inner_text() == "Hello, 陈晓雯"
    # when they log out
    page.click("#user-menu")
    page.click("[data-testid=logout]")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
