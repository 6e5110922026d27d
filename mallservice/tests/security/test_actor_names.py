"""Issue 16 item 8: nobody can pass their past actions off as someone else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mallservice.audit import Source, actor_context
from mallservice.models import Mall, MallEvent, User, UserEvent
from mallservice.roles import Role
from mallservice.services import RenameRefused, staff_rename
from mallservice.tests.factories import make_staff


def _panel(client, user, obj) -> str:
    client.force_login(user)
    url = reverse("history_panel", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_renaming_yourself_on_the_profile_page_is_refused(client, desk_user):
    # given a desk user on their profile page
    client.force_login(desk_user)
    # when they post their supervisor's name as their own
    response = client.post(reverse("profile"), {"display_name": "张主管", "phone": "13812345678"})
    # then the phone is saved but the name is not theirs to change
    assert response.status_code == 302
    desk_user.refresh_from_db()
    assert desk_user.display_name == "陈晓雯"
    assert desk_user.phone == "13812345678"
    assert not UserEvent.objects.filter(pgh_obj=desk_user, display_name="张主管").exists()


def test_the_profile_page_has_no_name_field(client, desk_user):
    client.force_login(desk_user)
    body = client.get(reverse("profile")).content.decode()
    assert 'name="display_name"' not in body
    assert "陈晓雯" in body


def test_nobody_renames_themselves_through_the_service(supervisor_user):
    with pytest.raises(RenameRefused):
        staff_rename(actor=supervisor_user, staff=supervisor_user, display_name="王经理")


def test_a_supervisor_renames_desk_staff_of_their_mall(client, supervisor_user, desk_user):
    client.force_login(supervisor_user)
    response = client.post(reverse("staff_rename", args=[desk_user.pk]), {"display_name": "陈晓文"})
    assert response.status_code == 302
    desk_user.refresh_from_db()
    assert desk_user.display_name == "陈晓文"
    event = UserEvent.objects.filter(pgh_obj=desk_user, display_name="陈晓文").get()
    assert event.pgh_context["user"] == supervisor_user.pk
    assert event.pgh_context["actor_login"] == "supervisor"


@pytest.mark.parametrize("target", ["self", "other_mall_desk", "fellow_supervisor"])
def test_a_supervisor_cannot_rename_themselves_other_malls_or_peers(
    client, supervisor_user, mall, other_mall, target
):
    staff = {
        "self": lambda: supervisor_user,
        "other_mall_desk": lambda: make_staff(role=Role.DESK, mall=other_mall, username="far"),
        "fellow_supervisor": lambda: make_staff(role=Role.SUPERVISOR, mall=mall, username="peer"),
    }[target]()
    client.force_login(supervisor_user)
    response = client.post(reverse("staff_rename", args=[staff.pk]), {"display_name": "冒名"})
    assert response.status_code in (403, 404)
    assert User.objects.get(pk=staff.pk).display_name != "冒名"


def test_desk_staff_cannot_rename_anyone(client, desk_user, broadcaster_user):
    client.force_login(desk_user)
    response = client.post(
        reverse("staff_rename", args=[broadcaster_user.pk]), {"display_name": "张主管"}
    )
    assert response.status_code == 403
    assert client.get(reverse("staff_list")).status_code == 403


def test_history_shows_the_name_at_the_time_and_the_login(
    client, desk_user, supervisor_user, manager_user, mall
):
    # given a change made by the desk user while named 陈晓雯
    client.force_login(desk_user)
    client.post(reverse("profile"), {"phone": "13812345678"})
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        Mall.objects.filter(pk=mall.pk).update(name="改过的名字")
    # when the desk user is later renamed to the supervisor's name
    staff_rename(actor=manager_user, staff=desk_user, display_name="张主管")
    # then the history still names them as they were, with their login
    body = _panel(client, supervisor_user, mall)
    assert "陈晓雯（desk）" in body
    event = MallEvent.objects.filter(pgh_obj=mall, name="改过的名字").get()
    assert event.pgh_context["actor_name"] == "陈晓雯"
    assert event.pgh_context["actor_login"] == "desk"
    # and the supervisor's own changes carry their login, so a copied name
    # still reads differently
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        Mall.objects.filter(pk=mall.pk).update(name="主管改的名字")
    body = _panel(client, supervisor_user, mall)
    assert "张主管（supervisor）" in body


def test_a_web_request_records_the_actors_names(client, desk_user):
    client.force_login(desk_user)
    client.post(reverse("profile"), {"phone": "13900001111"})
    event = UserEvent.objects.filter(pgh_obj=desk_user, phone="13900001111").get()
    assert event.pgh_context["actor_name"] == "陈晓雯"
    assert event.pgh_context["actor_login"] == "desk"


def test_the_staff_names_page_lists_the_mall_in_a_fixed_number_of_queries(
    client, supervisor_user, desk_user, broadcaster_user, mall, django_assert_max_num_queries
):
    for n in range(12):
        make_staff(role=Role.DESK, mall=mall, username=f"desk-{n}")
    client.force_login(supervisor_user)
    client.get(reverse("staff_list"))  # warm the access cache
    with django_assert_max_num_queries(10):
        body = client.get(reverse("staff_list")).content.decode()
    assert 'data-testid="staff-rename-desk-11"' in body
    assert 'data-testid="staff-rename-supervisor"' not in body
