from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from broadcasts import services
from broadcasts.models import ScreenEvent, ScreenLiveRecord, ScreenMessage, ScreenMessageEvent
from broadcasts.playlist import is_live, live_now, player_payload

from .conftest import NOW

TZ = NOW.tzinfo


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in November 2026 (the 23rd is a Monday)."""
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def window(**kwargs):
    message = {
        "id": 1,
        "priority": 0,
        "emergency": False,
        "starts_on": datetime.date(2026, 11, 1),
        "ends_on": None,
        "weekdays": [],
        "time_from": None,
        "time_until": None,
    }
    message.update(kwargs)
    return message


# --- schedule windows ---------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "live"),
    [
        (at(23, 9, 59), False),
        (at(23, 10, 0), True),
        (at(23, 13, 59), True),
        (at(23, 14, 0), False),
    ],
)
def test_a_daytime_window_runs_from_its_start_until_its_end(moment, live):
    message = window(time_from=datetime.time(10), time_until=datetime.time(14))
    assert is_live(message, moment) is live


@pytest.mark.parametrize(
    ("moment", "live"),
    [
        (at(23, 21, 59), False),  # Monday before the window
        (at(23, 22, 0), True),  # Monday night
        (at(24, 1, 30), True),  # small hours of Tuesday: still Monday's window
        (at(24, 2, 0), False),
        (at(24, 22, 30), False),  # Tuesday is not a play day
        (at(25, 1, 0), False),  # Wednesday small hours: Tuesday's window, not played
    ],
)
def test_an_overnight_window_belongs_to_the_day_it_starts(moment, live):
    message = window(
        time_from=datetime.time(22),
        time_until=datetime.time(2),
        weekdays=[0],  # Mondays
    )
    assert is_live(message, moment) is live


def test_an_overnight_window_past_the_end_date_still_finishes_its_night():
    message = window(
        time_from=datetime.time(22),
        time_until=datetime.time(2),
        ends_on=datetime.date(2026, 11, 23),
    )
    assert is_live(message, at(24, 1)) is True
    assert is_live(message, at(24, 23)) is False


def test_days_of_the_week_and_the_date_range_limit_a_message():
    message = window(
        weekdays=[5, 6],
        starts_on=datetime.date(2026, 11, 28),
        ends_on=datetime.date(2026, 11, 29),
    )
    assert not is_live(message, at(27, 12))  # Friday
    assert is_live(message, at(28, 12))  # Saturday
    assert is_live(message, at(29, 12))  # Sunday
    assert not is_live(window(weekdays=[5, 6], ends_on=datetime.date(2026, 11, 29)), at(30, 12))


def test_live_messages_are_ordered_emergency_first_then_priority():
    low = window(id=1, priority=0)
    high = window(id=2, priority=9)
    emergency = window(id=3, priority=-5, emergency=True)
    later = window(id=4, priority=99, starts_on=datetime.date(2026, 12, 1))
    assert [m["id"] for m in live_now([low, high, emergency, later], at(23, 12))] == [3, 2, 1]


# --- approval -----------------------------------------------------------------


def test_a_desk_message_waits_for_a_supervisor_before_it_goes_live(
    desk_user, supervisor_user, screen, post_message, django_capture_on_commit_callbacks
):
    message = post_message(actor=desk_user)
    assert message.state == ScreenMessage.State.PENDING
    assert player_payload(screen.token, now=NOW)["messages"] == []
    with django_capture_on_commit_callbacks(execute=True):
        services.screen_message_approve(actor=supervisor_user, message=message, now=NOW)
    payload = player_payload(screen.token, now=NOW)
    assert [m["id"] for m in payload["messages"]] == [message.pk]


def test_desk_staff_cannot_approve_or_post_an_emergency(desk_user, post_message):
    message = post_message(actor=desk_user)
    with pytest.raises(ValidationError):
        services.screen_message_approve(actor=desk_user, message=message)
    with pytest.raises(ValidationError) as exc:
        post_message(actor=desk_user, is_emergency=True)
    assert exc.value.error_dict["is_emergency"][0].code == "emergency_needs_supervisor"


def test_the_database_refuses_a_live_message_nobody_approved(desk_user, post_message):
    message = post_message(actor=desk_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScreenMessage.objects.filter(pk=message.pk).update(state="approved")


def test_approving_through_the_page_is_audited(client, desk_user, supervisor_user, post_message):
    message = post_message(actor=desk_user)
    client.force_login(supervisor_user)
    response = client.post(reverse("broadcasts:message_approve", args=[message.pk]))
    assert response.status_code == 302
    event = ScreenMessageEvent.objects.get(pgh_obj=message, state="approved")
    assert event.pgh_context["user"] == supervisor_user.pk


def test_a_message_of_another_mall_cannot_be_approved(client, supervisor_user, other_mall):
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    other = make_staff(role=Role.DESK, mall=other_mall, username="o")
    from broadcasts.models import Screen

    screen = Screen.objects.create(mall=other_mall, name="x")
    message = services.screen_message_submit(
        actor=other, mall=other_mall, title="t", text="t", screens=[screen], starts_on=NOW.date()
    )
    client.force_login(supervisor_user)
    response = client.post(reverse("broadcasts:message_approve", args=[message.pk]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.state == "pending"


# --- the player payload ---------------------------------------------------------


def test_the_player_payload_needs_no_login_and_lists_what_is_live(client, screen, post_message):
    post_message(title="欢迎", priority=1)
    post_message(title="夜场", time_from=datetime.time(22), time_until=datetime.time(2))
    response = client.get(reverse("broadcasts:player_payload", args=[screen.token]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    payload = response.json()
    assert payload["screen"]["name"] == "东门大屏"
    assert payload["emergency"] is None
    assert payload["poll_seconds"] <= 30
    titles = [m["title"] for m in payload["messages"]]
    assert "欢迎" in titles
    # the night message shows only if the test runs at night
    assert ("夜场" in titles) == is_live(
        window(time_from=datetime.time(22), time_until=datetime.time(2)), timezone.now()
    )
    assert set(payload["messages"][0]) == {
        "id",
        "title",
        "text",
        "image",
        "duration",
        "priority",
        "emergency",
    }


def test_an_unknown_or_inactive_screen_is_not_found(client, supervisor_user, mall, screen):
    assert client.get(reverse("broadcasts:player_payload", args=["nope"])).status_code == 404
    services.screen_save(
        actor=supervisor_user, mall=mall, name=screen.name, is_active=False, screen=screen
    )
    assert client.get(reverse("broadcasts:player_payload", args=[screen.token])).status_code == 404
    assert client.get(reverse("broadcasts:player", args=[screen.token])).status_code == 404


def test_an_emergency_is_shown_above_everything(screen, post_message):
    post_message(title="欢迎", priority=50)
    alarm = post_message(title="紧急疏散", is_emergency=True)
    payload = player_payload(screen.token, now=NOW)
    assert payload["emergency"]["id"] == alarm.pk
    assert [m["title"] for m in payload["messages"]] == ["欢迎"]


def test_the_payload_is_one_or_two_queries_cold_and_none_warm(
    screen, post_message, django_assert_max_num_queries
):
    for n in range(5):
        post_message(title=f"消息{n}", priority=n)
    with django_assert_max_num_queries(2):
        cold = player_payload(screen.token, now=NOW)
    with django_assert_max_num_queries(0):
        warm = player_payload(screen.token, now=NOW)
    assert cold["messages"] == warm["messages"]
    assert [m["priority"] for m in warm["messages"]] == [4, 3, 2, 1, 0]


def test_a_change_invalidates_the_cached_playlist_at_once(
    desk_user, supervisor_user, screen, post_message, django_capture_on_commit_callbacks
):
    first = post_message(title="第一条")
    assert len(player_payload(screen.token, now=NOW)["messages"]) == 1  # cached
    with django_capture_on_commit_callbacks(execute=True):
        pending = post_message(actor=desk_user, title="第二条")
        services.screen_message_approve(actor=supervisor_user, message=pending, now=NOW)
    assert {m["title"] for m in player_payload(screen.token, now=NOW)["messages"]} == {
        "第一条",
        "第二条",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.screen_message_withdraw(actor=supervisor_user, message=first)
    assert [m["title"] for m in player_payload(screen.token, now=NOW)["messages"]] == ["第二条"]


def test_a_new_token_retires_the_old_player_address(
    client, supervisor_user, screen, django_capture_on_commit_callbacks
):
    old = screen.token
    assert client.get(reverse("broadcasts:player_payload", args=[old])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.screen_token_rotate(actor=supervisor_user, screen=screen)
    assert client.get(reverse("broadcasts:player_payload", args=[old])).status_code == 404
    event = ScreenEvent.objects.filter(pgh_obj=screen, token_rotated_at__isnull=False).get()
    assert not hasattr(event, "token")  # the secret is not copied into the history


def test_the_player_page_passes_the_csp_with_no_inline_script(client, screen):
    response = client.get(reverse("broadcasts:player", args=[screen.token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert '<script src="/static/broadcasts/player.js">' in html
    assert "<script>" not in html and "style=" not in html


def test_messages_only_run_on_their_own_screens(supervisor_user, mall, screen, post_message):
    west = services.screen_save(actor=supervisor_user, mall=mall, name="西门大屏")
    post_message(title="东门专用", screens=[screen])
    assert player_payload(west.token, now=NOW)["messages"] == []


def test_a_screen_of_another_mall_cannot_be_chosen(desk_user, mall, other_screen, post_message):
    with pytest.raises(ValidationError):
        post_message(actor=desk_user, screens=[other_screen])


# --- preview and live log ------------------------------------------------------


def test_the_preview_shows_what_is_on_each_screen_now(client, desk_user, screen, post_message):
    post_message(title="欢迎光临")
    client.force_login(desk_user)
    response = client.get(reverse("broadcasts:screen_list"))
    assert response.status_code == 200
    ((shown_screen, live),) = response.context["screens_now"]
    assert shown_screen == screen and [m["title"] for m in live] == ["欢迎光临"]
    # desk staff do not see the secret player address
    assert screen.token not in response.content.decode()


def test_the_live_log_opens_and_closes_records_as_messages_come_and_go(
    supervisor_user, screen, post_message
):
    evening = post_message(title="晚间", time_from=datetime.time(18), time_until=datetime.time(20))
    assert services.screen_live_log_refresh(now=at(26, 17, 59)) == (0, 0)
    assert services.screen_live_log_refresh(now=at(26, 18, 0)) == (1, 0)
    assert services.screen_live_log_refresh(now=at(26, 19, 0)) == (0, 0)
    assert services.screen_live_log_refresh(now=at(26, 20, 0)) == (0, 1)
    record = ScreenLiveRecord.objects.get()
    assert (record.message, record.live_from, record.live_until) == (
        evening,
        at(26, 18),
        at(26, 20),
    )
