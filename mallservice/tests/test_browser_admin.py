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
