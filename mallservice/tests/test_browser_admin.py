from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_work_under_the_content_security_policy(
    login, page, live_server, manager_user, shop
):
    # given the browser reports every CSP violation on the console
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # when a manager works through the admin: list, change form, import, history
    login(manager_user)
    for path in (
        "/admin/",
        "/admin/mallservice/unit/",
        f"/admin/mallservice/unit/{shop.pk}/change/",
        "/admin/mallservice/unit/import/",
        f"/admin/mallservice/unit/{shop.pk}/history/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
    # then nothing was blocked, and the admin is in Chinese
    assert violations == []
    assert "历史" in page.content() or "操作记录" in page.content()


def test_select_all_on_the_export_page_works_under_the_csp(login, page, live_server, manager_user):
    # given the browser reports every CSP violation on the console
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    login(manager_user)
    page.goto(f"{live_server.url}/admin/mallservice/unit/export/")
    columns = page.locator(".selectable-field-export-row input[type=checkbox]:not(.select-toggle)")
    toggle = page.locator("[data-testid=export-select-all]")
    assert columns.count() == 10 and toggle.is_checked()
    # when the manager clears "Select all", every column is cleared
    toggle.click()
    assert [columns.nth(i).is_checked() for i in range(columns.count())] == [False] * 10
    # when they tick it again, every column is ticked
    toggle.click()
    assert [columns.nth(i).is_checked() for i in range(columns.count())] == [True] * 10
    # clearing one column clears "Select all" too
    columns.first.click()
    assert not toggle.is_checked()
    # then nothing was blocked, and the labels are Chinese
    assert violations == []
    assert page.get_by_text("全选").is_visible()
