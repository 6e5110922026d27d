"""Issue 16 item 13: the clock-in PIN lock counts wrong PINs once per
person, under a lock, so neither two identifiers nor a burst of guesses
sent at once buy extra tries."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from rosters import services
from rosters.models import ClockEvent, ClockPin

WRONG = "0000"
RIGHT = "2468"


@pytest.fixture
def pin_owner(desk_user, mall):
    desk_user.staff_no = "K001"
    desk_user.save()
    services.clock_pin_set(actor=desk_user, staff=desk_user, mall=mall, pin=RIGHT)
    return desk_user


def _try(mall, name: str, pin: str) -> str:
    try:
        services.clock_record_by_pin(mall=mall, username=name, pin=pin, kind="in")
    except ValidationError as exc:
        return exc.code
    return "ok"


def test_login_name_and_staff_number_share_one_count(pin_owner, mall):
    # given wrong PINs typed alternately with the login name and the staff number
    names = [pin_owner.username, pin_owner.staff_no]
    codes = [_try(mall, names[n % 2], WRONG) for n in range(services.PIN_FAILURE_LIMIT)]
    assert codes == ["bad_pin"] * services.PIN_FAILURE_LIMIT
    # then the limit is reached for the person, whichever name comes next
    assert _try(mall, pin_owner.staff_no, RIGHT) == "pin_locked"
    assert _try(mall, pin_owner.username, RIGHT) == "pin_locked"
    assert not ClockEvent.objects.exists()


def test_the_lock_ends_and_a_right_pin_clears_the_count(pin_owner, mall):
    import datetime

    from django.utils import timezone

    for _ in range(services.PIN_FAILURE_LIMIT):
        _try(mall, "K001", WRONG)
    later = timezone.now() + datetime.timedelta(seconds=services.PIN_LOCK_SECONDS + 1)
    event = services.clock_record_by_pin(
        mall=mall, username="K001", pin=RIGHT, kind="in", now=later
    )
    assert event.staff == pin_owner
    assert ClockPin.objects.get(staff=pin_owner).pin_failures == 0


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_wrong_pins_gets_no_more_than_the_limit(pin_owner, mall):
    # given many wrong PINs for one person sent at the same moment
    burst = 3 * services.PIN_FAILURE_LIMIT
    start = threading.Barrier(burst)
    codes: list[str] = []

    def guess() -> None:
        try:
            start.wait()
            codes.append(_try(mall, "K001", WRONG))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then exactly the limit were checked, every other one refused unchecked
    assert len(codes) == burst
    assert codes.count("bad_pin") == services.PIN_FAILURE_LIMIT
    assert codes.count("pin_locked") == burst - services.PIN_FAILURE_LIMIT
    assert ClockPin.objects.get(staff=pin_owner).pin_failures == services.PIN_FAILURE_LIMIT
