"""Two desks clicking at once must not break the repeat plan."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from broadcasts import services
from broadcasts.models import AnnouncementKind
from mallservice.roles import Role
from mallservice.tests.factories import make_staff


@pytest.mark.django_db(transaction=True)
def test_two_broadcasters_airing_at_once_record_two_different_repeats(
    desk_user, broadcaster_user, mall
):
    # given a car-move page planned twice and two broadcasters on duty
    other = make_staff(role=Role.BROADCASTER, mall=mall, username="broadcaster-2")
    car = services.announcement_request(
        actor=desk_user, mall=mall, kind=AnnouncementKind.CAR_MOVE, script="移车", repetitions=2
    )
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def air(user):
        try:
            barrier.wait(timeout=10)
            services.announcement_air(actor=user, announcement=car)
        except (ValidationError, IndexError) as exc:  # pragma: no cover - the failure case
            errors.append(exc)
        finally:
            connection.close()

    # when both press "Aired" at the same moment
    threads = [threading.Thread(target=air, args=(u,)) for u in (broadcaster_user, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # then each airing is recorded once, by a different person, and the page is done
    assert errors == []
    aired = list(car.airings.order_by("sequence").values_list("state", "aired_by"))
    assert [state for state, _ in aired] == ["aired", "aired"]
    assert {who for _, who in aired} == {broadcaster_user.pk, other.pk}
    car.refresh_from_db()
    assert car.state == "done"


@pytest.mark.django_db(transaction=True)
def test_cancel_and_air_at_once_never_air_a_dropped_repeat(desk_user, broadcaster_user, mall):
    car = services.announcement_request(
        actor=desk_user, mall=mall, kind=AnnouncementKind.CAR_MOVE, script="移车", repetitions=3
    )
    barrier = threading.Barrier(2)

    def run(fn):
        try:
            barrier.wait(timeout=10)
            fn()
        except ValidationError:
            pass  # the loser sees the winner's state: a clean refusal
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(lambda: services.announcement_air(actor=broadcaster_user, announcement=car),),
        ),
        threading.Thread(
            target=run,
            args=(lambda: services.announcement_cancel(actor=desk_user, announcement=car),),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    states = list(car.airings.order_by("sequence").values_list("state", flat=True))
    # either aired first then cancelled, or cancelled first and nothing aired
    assert states in (["aired", "dropped", "dropped"], ["dropped", "dropped", "dropped"])
