"""Editing an entrance-screen message after it was entered: a change to an
approved message waits for a supervisor while the approved version keeps
playing; a rejected change leaves the old version on air."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from broadcasts import services
from broadcasts.models import (
    ScreenMessage,
    ScreenMessageEdit,
    ScreenMessageEditEvent,
    ScreenMessageEvent,
    ScreenPlacementEvent,
)
from broadcasts.playlist import player_payload
from mallservice.audit import Source, actor_context

from .conftest import NOW


def _edit(message, actor, **changes):
    """Propose `changes` to `message`, keeping every other field."""
    params = {
        "title": message.title,
        "text": message.text,
        "screens": [p.screen for p in message.placements.all()],
        "starts_on": message.starts_on,
        "ends_on": message.ends_on,
        "weekdays": message.weekdays,
        "time_from": message.time_from,
        "time_until": message.time_until,
        "duration_seconds": message.duration_seconds,
        "priority": message.priority,
        "is_emergency": message.is_emergency,
    }
    params.update(changes)
    with actor_context(actor_id=actor.pk, source=Source.WEB):
        return services.screen_message_edit(actor=actor, message=message, now=NOW, **params)


def _titles(screen) -> list[str]:
    return [m["title"] for m in player_payload(screen.token, now=NOW)["messages"]]


def test_an_edit_of_a_live_message_waits_and_the_approved_version_keeps_playing(
    desk_user, screen, post_message, django_capture_on_commit_callbacks
):
    live = post_message(title="欢迎光临")
    assert _titles(screen) == ["欢迎光临"]  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        edit = _edit(live, desk_user, title="圣诞快乐", text="全场八折", priority=3)
    assert edit.state == ScreenMessageEdit.State.PENDING
    live.refresh_from_db()
    assert (live.state, live.title, live.priority) == ("approved", "欢迎光临", 0)
    assert _titles(screen) == ["欢迎光临"]
    event = ScreenMessageEditEvent.objects.get(pgh_obj=edit, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk
    assert event.title == "圣诞快乐"


def test_approving_the_edit_puts_it_on_the_screens_at_the_next_poll(
    desk_user, supervisor_user, mall, screen, post_message, django_capture_on_commit_callbacks
):
    west = services.screen_save(actor=supervisor_user, mall=mall, name="西门大屏")
    live = post_message(title="欢迎光临")
    edit = _edit(live, desk_user, title="圣诞快乐", screens=[west])
    assert _titles(screen) == ["欢迎光临"] and _titles(west) == []  # both cached
    with (
        django_capture_on_commit_callbacks(execute=True),
        actor_context(actor_id=supervisor_user.pk, source=Source.WEB),
    ):
        services.screen_message_edit_approve(actor=supervisor_user, edit=edit, now=NOW)
    assert _titles(screen) == [] and _titles(west) == ["圣诞快乐"]
    live.refresh_from_db()
    assert (live.title, live.decided_by, live.decided_at) == ("圣诞快乐", supervisor_user, NOW)
    edit.refresh_from_db()
    assert (edit.state, edit.decided_by) == ("approved", supervisor_user)
    change = ScreenMessageEvent.objects.get(pgh_obj=live, title="圣诞快乐")
    assert change.pgh_context["user"] == supervisor_user.pk
    moved = ScreenPlacementEvent.objects.filter(pgh_context__user=supervisor_user.pk)
    assert {(e.pgh_label, e.screen_id) for e in moved} == {
        ("delete", screen.pk),
        ("insert", west.pk),
    }


def test_a_rejected_edit_keeps_the_old_version_on_air(
    desk_user, supervisor_user, screen, post_message
):
    live = post_message(title="欢迎光临", text="营业时间 10:00–22:00")
    edit = _edit(live, desk_user, text="营业时间 9:00–23:00", ends_on=NOW.date())
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        services.screen_message_edit_reject(
            actor=supervisor_user, edit=edit, note="时间未确认", now=NOW
        )
    edit.refresh_from_db()
    live.refresh_from_db()
    assert (edit.state, edit.decided_by, edit.decision_note) == (
        "rejected",
        supervisor_user,
        "时间未确认",
    )
    assert (live.text, live.ends_on, live.state) == ("营业时间 10:00–22:00", None, "approved")
    assert player_payload(screen.token, now=NOW)["messages"][0]["text"] == "营业时间 10:00–22:00"
    event = ScreenMessageEditEvent.objects.get(pgh_obj=edit, state="rejected")
    assert event.pgh_context["user"] == supervisor_user.pk


def test_a_second_change_revises_the_edit_waiting(desk_user, post_message):
    live = post_message()
    first = _edit(live, desk_user, title="一")
    second = _edit(live, desk_user, title="二", duration_seconds=20)
    assert second.pk == first.pk
    assert ScreenMessageEdit.objects.get().title == "二"
    # The database itself allows one pending edit per message.
    duplicate = ScreenMessageEdit.objects.get()
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_message_not_yet_approved_is_changed_in_place(desk_user, screen, post_message):
    waiting = post_message(actor=desk_user, title="草稿")
    assert _edit(waiting, desk_user, title="定稿", priority=2) is None
    waiting.refresh_from_db()
    assert (waiting.title, waiting.priority, waiting.state) == ("定稿", 2, "pending")
    assert not ScreenMessageEdit.objects.exists()
    assert _titles(screen) == []


def test_a_supervisors_own_edit_is_approved_as_entered(
    supervisor_user, screen, post_message, django_capture_on_commit_callbacks
):
    live = post_message(title="欢迎光临")
    assert _titles(screen) == ["欢迎光临"]
    with django_capture_on_commit_callbacks(execute=True):
        assert _edit(live, supervisor_user, title="新年快乐") is None
    assert _titles(screen) == ["新年快乐"]
    assert not ScreenMessageEdit.objects.exists()


def test_the_approved_version_plays_on_while_an_edit_of_its_schedule_waits(
    desk_user, supervisor_user, screen, post_message, django_capture_on_commit_callbacks
):
    """An edit that would take the message off air now (a later start)
    changes nothing until approved."""
    live = post_message(title="欢迎光临")
    edit = _edit(live, desk_user, starts_on=NOW.date() + datetime.timedelta(days=3))
    assert _titles(screen) == ["欢迎光临"]
    with django_capture_on_commit_callbacks(execute=True):
        services.screen_message_edit_approve(actor=supervisor_user, edit=edit, now=NOW)
    assert _titles(screen) == []


def test_withdrawing_a_message_withdraws_its_waiting_edit(desk_user, supervisor_user, post_message):
    live = post_message(actor=desk_user)
    services.screen_message_approve(actor=supervisor_user, message=live, now=NOW)
    edit = _edit(live, desk_user, title="改")
    services.screen_message_withdraw(actor=desk_user, message=live)
    edit.refresh_from_db()
    assert edit.state == ScreenMessageEdit.State.WITHDRAWN
    with pytest.raises(ValidationError) as exc:
        _edit(live, desk_user, title="再改")
    assert exc.value.code == "not_editable"


def test_desk_staff_cannot_turn_a_message_into_an_emergency_by_editing(desk_user, post_message):
    live = post_message()
    with pytest.raises(ValidationError) as exc:
        _edit(live, desk_user, is_emergency=True)
    assert exc.value.error_dict["is_emergency"][0].code == "emergency_needs_supervisor"
    assert not ScreenMessageEdit.objects.exists()


def test_an_edit_needs_a_screen_and_a_whole_window(desk_user, post_message):
    live = post_message()
    with pytest.raises(ValidationError) as exc:
        _edit(live, desk_user, screens=[])
    assert "screens" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _edit(live, desk_user, time_from=datetime.time(9))
    assert "time_until" in exc.value.error_dict


def test_an_edit_whose_screens_were_all_switched_off_cannot_be_approved(
    desk_user, supervisor_user, mall, screen, post_message
):
    west = services.screen_save(actor=supervisor_user, mall=mall, name="西门大屏")
    live = post_message()
    edit = _edit(live, desk_user, screens=[west])
    services.screen_save(
        actor=supervisor_user, mall=mall, name="西门大屏", screen=west, is_active=False
    )
    with pytest.raises(ValidationError) as exc:
        services.screen_message_edit_approve(actor=supervisor_user, edit=edit, now=NOW)
    assert exc.value.code == "no_screens"
    edit.refresh_from_db()
    assert edit.state == "pending"


def test_only_a_supervisor_approves_an_edit(desk_user, post_message):
    edit = _edit(post_message(), desk_user, title="改")
    with pytest.raises(ValidationError):
        services.screen_message_edit_approve(actor=desk_user, edit=edit)
    with pytest.raises(ValidationError):
        services.screen_message_edit_reject(actor=desk_user, edit=edit)


# --- through the pages ------------------------------------------------------------


def _form(message, **changes):
    data = {
        "title": message.title,
        "text": message.text,
        "screens": [p.screen_id for p in message.placements.all()],
        "starts_on": message.starts_on.isoformat(),
        "duration_seconds": message.duration_seconds,
        "priority": message.priority,
    }
    data.update(changes)
    return data


def test_desk_staff_change_a_live_message_and_a_supervisor_approves_it_from_the_review(
    client, desk_user, supervisor_user, screen, post_message, django_capture_on_commit_callbacks
):
    live = post_message(title="欢迎光临")
    client.force_login(desk_user)
    page = client.get(reverse("broadcasts:message_edit", args=[live.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "欢迎光临"
    response = client.post(
        reverse("broadcasts:message_edit", args=[live.pk]), _form(live, title="新品上市")
    )
    assert response.status_code == 302
    edit = ScreenMessageEdit.objects.get(message=live)
    listing = client.get(reverse("broadcasts:message_list"), {"state": "awaiting"})
    assert [m.pk for m in listing.context["page_obj"]] == [live.pk]
    assert f'data-testid="pending-edit-{live.pk}"' in listing.content.decode()
    # The form opens on the change waiting, so a second save revises it.
    again = client.get(reverse("broadcasts:message_edit", args=[live.pk]))
    assert again.context["form"].initial["title"] == "新品上市"

    client.force_login(supervisor_user)
    review = client.get(reverse("broadcasts:message_edit_detail", args=[edit.pk]))
    assert review.status_code == 200
    changed = {row["name"] for row in review.context["changes"] if row["changed"]}
    assert changed == {"title"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("broadcasts:message_edit_approve", args=[edit.pk]))
    assert response.status_code == 302
    assert _titles(screen) == ["新品上市"]
    event = ScreenMessageEditEvent.objects.get(pgh_obj=edit, state="approved")
    assert event.pgh_context["user"] == supervisor_user.pk


def test_bad_input_on_the_edit_page_comes_back_next_to_the_field(client, desk_user, post_message):
    live = post_message()
    client.force_login(desk_user)
    response = client.post(
        reverse("broadcasts:message_edit", args=[live.pk]),
        _form(live, time_from="09:00", duration_seconds=1),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["duration_seconds"]
    assert not ScreenMessageEdit.objects.exists()


def test_edit_pages_are_scoped_and_approval_is_for_supervisors(
    client, desk_user, supervisor_user, other_mall, post_message
):
    from broadcasts.models import Screen
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    edit = _edit(post_message(), desk_user, title="改")
    client.force_login(desk_user)
    assert (
        client.post(reverse("broadcasts:message_edit_approve", args=[edit.pk])).status_code == 403
    )
    other_desk = make_staff(role=Role.DESK, mall=other_mall, username="o")
    other_screen = Screen.objects.create(mall=other_mall, name="x")
    theirs = services.screen_message_submit(
        actor=other_desk,
        mall=other_mall,
        title="t",
        text="t",
        screens=[other_screen],
        starts_on=NOW.date(),
    )
    assert client.get(reverse("broadcasts:message_edit", args=[theirs.pk])).status_code == 404
    client.force_login(supervisor_user)
    other_edit = ScreenMessageEdit.objects.create(
        mall=other_mall,
        message=theirs,
        title="x",
        text="x",
        starts_on=NOW.date(),
        screen_ids=[other_screen.pk],
        submitted_by=other_desk,
        submitted_at=NOW,
    )
    for name in ("message_edit_detail",):
        assert client.get(reverse(f"broadcasts:{name}", args=[other_edit.pk])).status_code == 404
    response = client.post(reverse("broadcasts:message_edit_approve", args=[other_edit.pk]))
    assert response.status_code == 404
    other_edit.refresh_from_db()
    assert other_edit.state == "pending"


def test_the_message_list_with_waiting_edits_stays_at_a_few_queries(
    client, desk_user, supervisor_user, post_message, django_assert_max_num_queries
):
    def world(n):
        for i in range(n):
            _edit(post_message(title=f"消息{i}"), desk_user, title=f"改{i}")

    client.force_login(supervisor_user)
    world(2)
    client.get(reverse("broadcasts:message_list"))  # warm the session and permissions
    world(18)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("broadcasts:message_list"))
    assert len(response.context["page_obj"]) == 20
    assert all(m.pending_edits for m in response.context["page_obj"])


def test_the_supervisors_home_counts_edits_to_approve(
    client, supervisor_user, desk_user, post_message
):
    from broadcasts.home import today

    _edit(post_message(), desk_user, title="改")
    post_message(actor=desk_user, title="新")
    (item,) = [i for i in today(supervisor_user) if "state=awaiting" in i.url]
    assert item.count == 2
    assert ScreenMessage.objects.count() == 2


def test_the_live_log_starts_a_new_period_when_a_change_is_approved(
    desk_user, supervisor_user, screen, post_message
):
    from broadcasts.models import ScreenLiveRecord

    live = post_message(title="欢迎光临")
    services.screen_live_log_refresh(now=NOW - datetime.timedelta(hours=1))
    edit = _edit(live, desk_user, title="圣诞快乐")
    services.screen_message_edit_approve(actor=supervisor_user, edit=edit, now=NOW)
    periods = list(ScreenLiveRecord.objects.order_by("live_from"))
    assert [(r.live_from, r.live_until) for r in periods] == [
        (NOW - datetime.timedelta(hours=1), NOW),
        (NOW, None),
    ]
    # the dispatcher carries on with the new period
    assert services.screen_live_log_refresh(now=NOW + datetime.timedelta(minutes=1)) == (0, 0)
