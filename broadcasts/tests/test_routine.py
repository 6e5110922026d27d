from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from broadcasts import services
from broadcasts.models import RoutineAiring

from .conftest import NOW

MIN = datetime.timedelta(minutes=1)


@pytest.fixture
def slot(supervisor_user, mall, templates):
    return services.routine_slot_save(
        actor=supervisor_user, mall=mall, template=templates["routine"], at=datetime.time(14, 30)
    )


def test_the_days_routine_broadcasts_are_made_once_from_the_schedule(slot):
    day = NOW.date()
    assert services.routine_airings_ensure(day=day) == 1
    services.routine_airings_ensure(day=day)
    airing = RoutineAiring.objects.get()
    assert airing.due_at == datetime.datetime.combine(day, datetime.time(14, 30), tzinfo=NOW.tzinfo)
    assert airing.script == "现在是14:30，请注意安全。"


def test_a_routine_slot_needs_a_routine_template(supervisor_user, mall, templates):
    with pytest.raises(ValidationError):
        services.routine_slot_save(
            actor=supervisor_user, mall=mall, template=templates["car"], at=datetime.time(9)
        )


def test_a_routine_broadcast_not_aired_in_time_is_flagged_missed_once(slot):
    # 14:30 due, 10 minutes' grace: at 14:39 not yet missed, at 14:41 missed
    before = NOW.replace(hour=14, minute=39)
    assert services.routine_missed_flag(now=before) == []
    after = NOW.replace(hour=14, minute=41)
    flagged = services.routine_missed_flag(now=after)
    assert len(flagged) == 1
    assert services.routine_missed_flag(now=after + MIN) == []
    airing = RoutineAiring.objects.get()
    assert airing.state == RoutineAiring.State.MISSED and airing.missed_flagged_at == after


def test_the_broadcaster_marks_a_routine_broadcast_aired_from_the_queue(
    client, broadcaster_user, slot
):
    services.routine_airings_ensure(day=datetime.date.today())
    airing = RoutineAiring.objects.get()
    client.force_login(broadcaster_user)
    response = client.post(reverse("broadcasts:routine_aired", args=[airing.pk]))
    assert response.status_code == 302
    airing.refresh_from_db()
    assert airing.state == "aired" and airing.aired_by == broadcaster_user
    # twice is refused, not a 500
    response = client.post(reverse("broadcasts:routine_aired", args=[airing.pk]), follow=True)
    assert response.status_code == 200


def test_a_missed_routine_broadcast_shows_on_the_supervisors_home(client, supervisor_user, slot):
    services.routine_airings_ensure(day=datetime.date.today())
    RoutineAiring.objects.update(state="missed")
    client.force_login(supervisor_user)
    response = client.get(reverse("home"))
    labels = [item.label for item in response.context["today"]]
    assert any("日常播音" in label or "routine" in label.lower() for label in labels), labels


def test_the_beat_dispatcher_runs_as_the_system_actor(slot, desk_user, mall):
    from broadcasts.models import MissingPersonCase, RoutineAiringEvent
    from broadcasts.tasks import dispatch
    from mallservice.services import system_actor_id

    # given a routine broadcast due long ago today and an overdue missing-person case
    services.routine_airings_ensure(day=datetime.date.today())
    from django.utils import timezone

    RoutineAiring.objects.update(due_at=timezone.now() - 30 * MIN)
    case = services.missing_case_open(
        actor=desk_user,
        mall=mall,
        person_kind="elderly",
        description="白发",
        clothing="灰色外套",
        last_seen_place="中庭",
        last_seen_at=timezone.now() - 30 * MIN,
        reporter_name="李先生",
        reporter_phone="13900139000",
        meeting_point="客服台",
        now=timezone.now() - 20 * MIN,
    )
    # when beat's entry point runs (eagerly here)
    dispatch.apply()
    # then the routine one is flagged missed and the desk prompted, by the system actor
    airing = RoutineAiring.objects.get()
    assert airing.state == RoutineAiring.State.MISSED
    event = RoutineAiringEvent.objects.filter(pgh_obj=airing, state="missed").get()
    assert event.pgh_context["user"] == system_actor_id()
    assert event.pgh_context["source"] == "celery"
    assert MissingPersonCase.objects.get(pk=case.pk).police_prompted_at is not None
