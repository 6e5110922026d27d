"""The desk registers' list filters (`desk/filters.py`): the dashboard's,
home page's and handover's links still narrow each list to its mall and
its rows; a hand-edited bad value filters nothing and says what was wrong
next to its field."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from desk.services.incidents import incident_close
from desk.services.passes import pass_decide
from desk.tests.factories import make_incident, make_pass
from mallservice.tests.factories import FloorFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _listed(client, name, params, key) -> set[int]:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return {obj.pk for obj in response.context[key]}


def _shows_error(client, name, params, field, key) -> set[int]:
    """The list for a bad `field` value: 200, the error next to the field."""
    response = client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in response.content.decode()
    return {obj.pk for obj in response.context[key]}


def test_the_incident_list_keeps_the_links_into_it_and_shows_a_bad_filter(
    client, manager_user, desk_user, supervisor_user, mall, other_mall
):
    # given today an urgent and a routine open incident and a closed one,
    # an open one three days ago, and an urgent open one in the other mall
    urgent = make_incident(actor=desk_user, mall=mall, urgent=True)
    routine = make_incident(actor=desk_user, mall=mall)
    closed = make_incident(actor=desk_user, mall=mall)
    incident_close(actor=supervisor_user, incident=closed, closing_note="已处理")
    old = make_incident(
        actor=desk_user, mall=mall, occurred_at=timezone.now() - datetime.timedelta(days=3)
    )
    foreign = make_incident(actor=manager_user, mall=other_mall, urgent=True)
    client.force_login(manager_user)
    name, key = "desk:incident_list", "incidents"
    today = timezone.localdate().isoformat()
    here = {"mall": mall.pk}
    # then the handover's, home page's and dashboard's links narrow the list
    assert _listed(client, name, {**here, "status": "live"}, key) == {
        urgent.pk,
        routine.pk,
        old.pk,
    }
    assert _listed(client, name, {**here, "status": "live", "urgent": "on"}, key) == {urgent.pk}
    assert _listed(client, name, {**here, "day_from": today, "day_to": today}, key) == {
        urgent.pk,
        routine.pk,
        closed.pk,
    }
    assert _listed(client, name, {"mall": other_mall.pk}, key) == {foreign.pk}
    assert _listed(client, name, {**here, "q": urgent.reference}, key) == {urgent.pk}
    # and a bad value filters nothing
    everything = {urgent.pk, routine.pk, closed.pk, old.pk, foreign.pk}
    assert _shows_error(client, name, {"mall": "abc", "urgent": "on"}, "mall", key) == everything
    assert _shows_error(client, name, {"status": "nonsense"}, "status", key) == everything
    assert _shows_error(client, name, {"day_from": "yesterday"}, "day_from", key) == everything


def test_the_pass_list_keeps_the_links_into_it_and_shows_a_bad_filter(
    client, manager_user, desk_user, supervisor_user, mall, other_mall, shop
):
    # given a pass waiting for approval, an approved one, and one waiting
    # in the other mall
    waiting = make_pass(actor=desk_user, mall=mall, unit=shop)
    approved = make_pass(actor=desk_user, mall=mall, unit=shop)
    pass_decide(actor=supervisor_user, release=approved, approve=True)
    foreign_shop = UnitFactory(floor=FloorFactory(mall=other_mall), mall=other_mall)
    foreign = make_pass(actor=manager_user, mall=other_mall, unit=foreign_shop)
    client.force_login(manager_user)
    name, key = "desk:pass_list", "passes"
    # then the home page's and dashboard's links narrow the list
    assert _listed(client, name, {"status": "requested"}, key) == {waiting.pk, foreign.pk}
    assert _listed(client, name, {"mall": mall.pk, "status": "requested"}, key) == {waiting.pk}
    assert _listed(client, name, {"mall": mall.pk, "status": "approved"}, key) == {approved.pk}
    # and a bad value filters nothing
    everything = {waiting.pk, approved.pk, foreign.pk}
    link = {"mall": "abc", "status": "requested"}
    assert _shows_error(client, name, link, "mall", key) == everything
    assert _shows_error(client, name, {"status": "nonsense"}, "status", key) == everything
