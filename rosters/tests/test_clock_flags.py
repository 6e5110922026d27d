"""Flagged clock-ins: a PIN punch on the shared screen from a device or an
address not seen at the mall in the last 30 days is flagged; a supervisor
reviews the flags weekly."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mallservice.home import today_items
from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from rosters.models import ClockEvent, ClockFlag
from rosters.services.attendance import clock_pin_set, clock_record, clock_record_by_pin
from rosters.services.clock_flags import clock_flag_review
from rosters.tests.conftest import acting, at, last_event
from rosters.views.clock_flags import DEVICE_COOKIE

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)
SCREEN = "desk-screen-0123456789abcdef"
PHONE = "someones-phone-0123456789ab"


@pytest.fixture
def pins(mall, desk_user, colleague):
    for person in (desk_user, colleague):
        clock_pin_set(actor=person, staff=person, mall=mall, pin="2468")


def punch(mall, person, kind="in", *, device=SCREEN, ip="10.0.0.5", when=None):
    return clock_record_by_pin(
        mall=mall,
        username=person.username,
        pin="2468",
        kind=kind,
        device=device,
        ip=ip,
        now=when or at(DAY, 8, 25),
    )


def test_the_first_punch_of_a_screen_is_flagged_and_once_cleared_the_screen_is_known(
    mall, supervisor_user, desk_user, colleague, pins
):
    # given the screen's first punch: flagged for its device and address
    first = punch(mall, desk_user)
    assert (first.flag.new_device, first.flag.new_address) == (True, True)
    assert first.device == SCREEN
    # while it is not reviewed, the screen is still unknown
    assert punch(mall, colleague, when=at(DAY, 8, 26)).flag.state == ClockFlag.State.OPEN
    # when the supervisor marks the first one as looking right
    with acting(supervisor_user):
        clock_flag_review(actor=supervisor_user, flag=first.flag, state="cleared", note="前台屏")
    flag = ClockFlag.objects.get(pk=first.flag.pk)
    assert (flag.state, flag.reviewed_by) == ("cleared", supervisor_user)
    assert last_event(flag).pgh_context["user"] == supervisor_user.pk
    # then a later punch from that screen is not flagged
    later = punch(mall, desk_user, "out", when=at(DAY, 14, 35))
    assert not ClockFlag.objects.filter(clock_event=later).exists()


def test_a_new_device_or_a_new_address_is_flagged_for_what_is_new(
    mall, supervisor_user, desk_user, colleague, pins
):
    known = punch(mall, desk_user)
    clock_flag_review(actor=supervisor_user, flag=known.flag, state="cleared")
    phone = punch(mall, colleague, device=PHONE, when=at(DAY, 8, 27))
    assert (phone.flag.new_device, phone.flag.new_address) == (True, False)
    elsewhere = punch(mall, desk_user, "out", ip="172.16.9.9", when=at(DAY, 14, 35))
    assert (elsewhere.flag.new_device, elsewhere.flag.new_address) == (False, True)


def test_seen_means_in_the_last_30_days_at_this_mall(
    mall, other_mall, supervisor_user, desk_user, pins
):
    old = punch(mall, desk_user, when=at(DAY, 8))
    clock_flag_review(actor=supervisor_user, flag=old.flag, state="cleared")
    punch(mall, desk_user, "out", when=at(DAY, 14))
    later = punch(mall, desk_user, when=at(DAY + datetime.timedelta(days=31), 8))
    assert later.flag.new_device and later.flag.new_address
    # and the other mall's screens know nothing of this one
    stranger = make_staff(role=Role.DESK, mall=other_mall, username="o-desk")
    clock_pin_set(actor=stranger, staff=stranger, mall=other_mall, pin="2468")
    there = punch(other_mall, stranger, when=at(DAY, 9))
    assert there.flag.new_device


def test_punches_with_ones_own_login_are_never_flagged(mall, desk_user):
    event = clock_record(staff=desk_user, mall=mall, kind="in", ip="10.9.9.9", now=at(DAY, 8))
    assert not ClockFlag.objects.filter(clock_event=event).exists()


def test_only_supervisors_review_and_not_their_own(
    mall, supervisor_user, desk_user, pins, colleague
):
    flag = punch(mall, desk_user).flag
    with pytest.raises(ValidationError):
        clock_flag_review(actor=colleague, flag=flag, state="cleared")
    clock_pin_set(actor=supervisor_user, staff=supervisor_user, mall=mall, pin="2468")
    own = punch(mall, supervisor_user, when=at(DAY, 8, 40)).flag
    with pytest.raises(ValidationError) as exc:
        clock_flag_review(actor=supervisor_user, flag=own, state="cleared")
    assert exc.value.code == "own"
    with pytest.raises(ValidationError):
        clock_flag_review(actor=supervisor_user, flag=flag, state="open")


def test_the_pin_screen_gives_the_browser_a_device_cookie_and_punches_carry_it(
    client, mall, desk_user, pins
):
    client.force_login(desk_user)
    page = client.get(reverse("rosters:clock_pin"))
    device = page.cookies[DEVICE_COOKIE].value
    assert len(device) >= 16 and page.cookies[DEVICE_COOKIE]["httponly"]
    response = client.post(
        reverse("rosters:clock_pin"),
        {"mall": mall.pk, "username": desk_user.username, "pin": "2468", "kind": "in"},
    )
    assert response.status_code == 302 and DEVICE_COOKIE not in response.cookies
    event = ClockEvent.objects.get()
    assert event.device == device and event.flag.new_device


def test_a_forged_device_cookie_is_replaced(client, desk_user):
    client.force_login(desk_user)
    client.cookies[DEVICE_COOKIE] = "<script>"
    page = client.get(reverse("rosters:clock_pin"))
    assert page.cookies[DEVICE_COOKIE].value != "<script>"


def test_the_weekly_review_page_lists_and_decides(
    client, mall, other_mall, supervisor_user, desk_user, pins
):
    flag = punch(mall, desk_user).flag
    assert [i.count for i in today_items(supervisor_user) if "flags" in i.url] == [1]
    client.force_login(supervisor_user)
    page = client.get(reverse("rosters:clock_flags") + f"?week={DAY}").content.decode()
    assert f'data-testid="clock-flag-{flag.pk}"' in page
    other_week = DAY + datetime.timedelta(days=7)
    page = client.get(reverse("rosters:clock_flags") + f"?week={other_week}").content.decode()
    assert f'data-testid="clock-flag-{flag.pk}"' not in page
    response = client.post(
        reverse("rosters:clock_flag_concern", args=[flag.pk]), {"note": "问本人"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.state, flag.review_note) == ("concern", "问本人")
    # desk staff may not open the list; another mall's supervisor gets 404
    client.force_login(desk_user)
    assert client.get(reverse("rosters:clock_flags")).status_code == 403
    boss = make_staff(role=Role.SUPERVISOR, mall=other_mall, username="o-sup")
    client.force_login(boss)
    assert client.post(reverse("rosters:clock_flag_clear", args=[flag.pk])).status_code == 404
