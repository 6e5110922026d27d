"""Issue 16 item 9: only a superuser hands out rights over the whole site."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from mallservice.models import User


def _change_form_data(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "display_name": user.display_name,
        "staff_no": user.staff_no,
        "phone": user.phone,
        "mall": user.mall_id or "",
        "all_malls": "on" if user.all_malls else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_a_manager_cannot_make_themselves_superuser(client, manager_user):
    # given a manager in the admin
    client.force_login(manager_user)
    url = reverse("admin:mallservice_user_change", args=[manager_user.pk])
    delete_perm = Permission.objects.get(codename="delete_mall")
    supervisor_group = Group.objects.get(name="supervisor")
    # when they post the superuser, staff, permission and group boxes for themselves
    response = client.post(
        url,
        _change_form_data(
            manager_user,
            is_superuser="on",
            is_staff="on",
            user_permissions=[delete_perm.pk],
            groups=[supervisor_group.pk],
        ),
    )
    # then the save goes through for their own details but grants nothing
    assert response.status_code == 302, response.content[:3000]
    manager_user.refresh_from_db()
    assert not manager_user.is_superuser
    assert not manager_user.user_permissions.exists()
    assert list(manager_user.groups.values_list("name", flat=True)) == ["manager"]


def test_the_rights_boxes_are_read_only_for_a_manager(client, manager_user, desk_user):
    client.force_login(manager_user)
    body = client.get(reverse("admin:mallservice_user_change", args=[desk_user.pk])).content
    assert b'name="is_superuser"' not in body
    assert b'name="groups"' not in body
    assert b'name="user_permissions"' not in body
    assert b'name="display_name"' in body


def test_a_manager_cannot_change_a_superusers_password(client, manager_user, mall):
    root = User.objects.create_superuser("root-admin", password="Very-Secret-123", mall=mall)
    client.force_login(manager_user)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(url, {"password1": "Taken-Over-456", "password2": "Taken-Over-456"})
    assert response.status_code in (403, 404)
    root.refresh_from_db()
    assert root.check_password("Very-Secret-123")


@pytest.mark.parametrize("field", ["is_superuser", "is_staff"])
def test_a_superuser_can_still_grant_rights(client, manager_user, mall, field):
    root = User.objects.create_superuser("root-admin", password="Very-Secret-123", mall=mall)
    client.force_login(root)
    url = reverse("admin:mallservice_user_change", args=[manager_user.pk])
    data = _change_form_data(manager_user, **{"is_staff": "on", field: "on"})
    data["groups"] = list(manager_user.groups.values_list("pk", flat=True))
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    manager_user.refresh_from_db()
    assert getattr(manager_user, field)
