from __future__ import annotations

import pytest
from django.urls import reverse

from mallservice.roles import Role
from mallservice.testing import OWN, PermissionCase, check_permission_case


def _dashboard(world, side):
    return reverse("dashboard")


@pytest.mark.parametrize(
    "case",
    [
        PermissionCase(Role.DESK, _dashboard, OWN, 403),
        PermissionCase(Role.BROADCASTER, _dashboard, OWN, 403),
        PermissionCase(Role.SUPERVISOR, _dashboard, OWN, 200),
        PermissionCase(Role.MANAGER, _dashboard, OWN, 200),
    ],
    ids=str,
)
def test_dashboard_is_for_supervisors_and_managers(client, permission_world, case):
    check_permission_case(client, permission_world, case)


def test_a_supervisor_cannot_switch_to_another_mall(client, supervisor_user, other_mall):
    client.force_login(supervisor_user)
    response = client.get(reverse("dashboard"), {"mall": other_mall.pk})
    assert [c["malls"] for c in response.context["columns"]] == [[supervisor_user.mall]]


def test_a_manager_sees_all_malls_side_by_side(client, manager_user, mall, other_mall):
    client.force_login(manager_user)
    response = client.get(reverse("dashboard"), {"mall": "all"})
    columns = [c["malls"] for c in response.context["columns"]]
    assert sorted(columns, key=lambda c: c[0].pk) == [[mall], [other_mall]]


def test_the_htmx_refresh_returns_only_the_panels(client, supervisor_user):
    client.force_login(supervisor_user)
    response = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "每分钟刷新" in body
