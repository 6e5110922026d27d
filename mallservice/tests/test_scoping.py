from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from mallservice.roles import Role
from mallservice.selectors import mall_list, unit_list, user_mall_ids
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case
from mallservice.tests.factories import FloorFactory, UnitFactory, make_staff


def test_staff_see_only_their_mall_managers_see_all(desk_user, manager_user, mall, other_mall):
    assert user_mall_ids(desk_user) == {mall.pk}
    assert user_mall_ids(manager_user) == {mall.pk, other_mall.pk}
    assert list(mall_list(user=desk_user)) == [mall]


def test_a_manager_can_be_given_several_malls(mall, other_mall, db):
    from mallservice.tests.factories import MallFactory

    third = MallFactory(code="third")
    regional = make_staff(role=Role.MANAGER, mall=mall, username="regional", extra_malls=[third])
    assert user_mall_ids(regional) == {mall.pk, third.pk}
    assert other_mall.pk not in user_mall_ids(regional)


def test_unit_list_never_shows_another_malls_units(desk_user, mall, other_mall):
    own = UnitFactory(floor=FloorFactory(mall=mall), mall=mall)
    UnitFactory(floor=FloorFactory(mall=other_mall), mall=other_mall)
    assert list(unit_list(user=desk_user)) == [own]


def test_roles_are_groups_with_the_permissions_each_needs(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
    manager = Group.objects.get(name=Role.MANAGER)
    codenames = set(manager.permissions.values_list("codename", flat=True))
    assert {"change_mall", "add_unit", "view_sensitiveaccess"} <= codenames
    assert not any(code.startswith("delete_") for code in codenames)


def test_only_managers_get_the_admin_site(client, desk_user, manager_user):
    client.force_login(desk_user)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(manager_user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_lists_only_the_managers_malls(client, mall, other_mall, db):
    local = make_staff(role=Role.MANAGER, mall=mall, username="localmanager")
    UnitFactory(floor=FloorFactory(mall=other_mall), mall=other_mall, name="别家的店")
    client.force_login(local)
    body = client.get(reverse("admin:mallservice_unit_changelist")).content.decode()
    assert "别家的店" not in body


def _history_url(world, side):
    return reverse("history_panel", args=["mallservice", "mall", world["malls"][side].pk])


HISTORY_MATRIX = [
    PermissionCase(ANONYMOUS, _history_url, OWN, 404),
    PermissionCase(Role.DESK, _history_url, OWN, 404),
    PermissionCase(Role.BROADCASTER, _history_url, OWN, 404),
    PermissionCase(Role.SUPERVISOR, _history_url, OWN, 200),
    PermissionCase(Role.SUPERVISOR, _history_url, OTHER, 404),
    PermissionCase(Role.MANAGER, _history_url, OWN, 200),
    PermissionCase(Role.MANAGER, _history_url, OTHER, 200),
]


@pytest.mark.parametrize("case", HISTORY_MATRIX, ids=str)
def test_history_panel_permission_matrix(client, permission_world, case):
    check_permission_case(client, permission_world, case)
