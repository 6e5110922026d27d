"""The broadcast lists' filters (`broadcasts/filters.py`): the dashboard's
and home page's links still narrow each list to its mall and its rows; a
hand-edited bad value filters nothing and says what was wrong next to its
field."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from broadcasts import services
from broadcasts.models import AnnouncementKind, RoutineAiring

from .conftest import NOW
from .test_dashboard import _ads, _cases, _messages, _missed, _repeats

MIN = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _listed(client, name, params) -> set[int]:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["page_obj"]}


def _shows_error(client, name, params, field) -> set[int]:
    """The list for a bad `field` value: 200, the error next to the field."""
    response = client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in response.content.decode()
    return {obj.pk for obj in response.context["page_obj"]}


def _pks(objs) -> set[int]:
    return {obj.pk for obj in objs}


def test_the_case_list_keeps_the_dashboards_links_and_shows_a_bad_filter(
    client, manager_user, desk_user, mall, other_mall
):
    # given two cases whose police call is overdue, a recent one, and an
    # overdue one in the other mall
    late = _cases(desk_user, mall, 2, opened=NOW - 20 * MIN)
    recent = _cases(desk_user, mall, 1, opened=NOW - 2 * MIN)
    foreign = _cases(manager_user, other_mall, 1, opened=NOW - 20 * MIN)
    client.force_login(manager_user)
    name = "broadcasts:case_list"
    # then the dashboard's links narrow the list
    assert _listed(client, name, {"mall": mall.pk, "police": "overdue"}) == _pks(late)
    assert _listed(client, name, {"mall": mall.pk, "state": "open"}) == _pks(late + recent)
    assert _listed(client, name, {"mall": other_mall.pk}) == _pks(foreign)
    # and a bad value filters nothing
    everything = _pks(late + recent + foreign)
    assert _shows_error(client, name, {"mall": "abc", "police": "overdue"}, "mall") == everything
    assert _shows_error(client, name, {"state": "nonsense"}, "state") == everything
    assert _shows_error(client, name, {"police": "soon"}, "police") == everything


def test_the_announcement_list_keeps_the_dashboards_link_and_shows_a_bad_filter(
    client, manager_user, desk_user, mall, other_mall
):
    # given ads waiting for approval, a queued announcement, and an ad of
    # the other mall
    ads = _ads(desk_user, mall, 2)
    queued = _repeats(desk_user, mall, 1, wanted_at=NOW + 10 * MIN)
    foreign = _ads(manager_user, other_mall, 1)
    client.force_login(manager_user)
    name = "broadcasts:announcement_list"
    link = {"mall": mall.pk, "state": "pending_approval"}
    assert _listed(client, name, link) == _pks(ads)
    everything = _pks(ads + queued + foreign)
    assert _shows_error(client, name, {**link, "mall": "abc"}, "mall") == everything
    assert _shows_error(client, name, {"state": "nonsense"}, "state") == everything


def test_the_routine_log_keeps_the_dashboards_link_and_shows_a_bad_filter(
    client, manager_user, supervisor_user, mall, other_mall, templates
):
    # given two routine broadcasts missed today, one missed yesterday, one
    # due later today, and one missed today in the other mall
    yesterday = datetime.date(2026, 11, 25)
    later = services.routine_slot_save(
        actor=supervisor_user, mall=mall, template=templates["routine"], at=datetime.time(16)
    )
    services.routine_airings_ensure(day=yesterday)
    foreign_template = services.script_template_save(
        actor=manager_user,
        mall=other_mall,
        kind=AnnouncementKind.ROUTINE,
        name="安全提示",
        body="请注意安全。",
    )
    services.routine_slot_save(
        actor=manager_user, mall=other_mall, template=foreign_template, at=datetime.time(12)
    )
    _missed(supervisor_user, mall, templates["routine"], 2)
    today_missed = RoutineAiring.objects.filter(
        mall=mall, day=NOW.date(), state=RoutineAiring.State.MISSED
    )
    assert today_missed.count() == 2
    client.force_login(manager_user)
    name = "broadcasts:routine_log"
    link = {"mall": mall.pk, "state": "missed", "day": "today"}
    assert _listed(client, name, link) == _pks(today_missed)
    everything = _pks(RoutineAiring.objects.all())
    assert len(everything) == 5 and later.airings.count() == 2
    assert _shows_error(client, name, {**link, "mall": "abc"}, "mall") == everything
    assert _shows_error(client, name, {**link, "state": "nonsense"}, "state") == everything
    assert _shows_error(client, name, {**link, "day": "tomorrow"}, "day") == everything


def test_the_message_list_keeps_the_dashboards_links_and_shows_a_bad_filter(
    client, supervisor_user, desk_user, mall, post_message, screen
):
    # given two messages on screen now, two waiting for approval and one
    # approved for this evening
    live, waiting = _messages(post_message, desk_user, screen, 2)
    client.force_login(supervisor_user)
    name = "broadcasts:message_list"
    assert _listed(client, name, {"mall": mall.pk, "live": "now"}) == _pks(live)
    assert _listed(client, name, {"mall": mall.pk, "state": "awaiting"}) == _pks(waiting)
    everything = _listed(client, name, {})
    assert len(everything) == 5
    assert _shows_error(client, name, {"mall": "abc", "live": "now"}, "mall") == everything
    assert _shows_error(client, name, {"state": "nonsense"}, "state") == everything
