"""The supervisor's call list's filters (`members.filters`): the
dashboard's links still narrow it, and a hand-edited invalid value filters
nothing and says why next to its field."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from members.models import CallTask
from members.tests.factories import CampaignFactory, MemberFactory

from .conftest import NOON as NOW

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
WEEK = datetime.timedelta(days=7)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def calls(mall, other_mall, desk_user, supervisor_user, manager_user):
    """A call a week overdue and one due today here, on two campaigns and
    for two people; a call a week overdue there."""

    def call(in_mall, assignee, due_at, name):
        campaign = CampaignFactory(mall=in_mall, name=name)
        return CallTask.objects.create(
            mall=in_mall,
            campaign=campaign,
            member=MemberFactory(mall=in_mall, registered_by=assignee),
            period=datetime.date(2026, 11, 1),
            assignee=assignee,
            due_at=due_at,
        )

    return {
        "overdue": call(mall, desk_user, NOW - WEEK, "金卡回访"),
        "due": call(mall, supervisor_user, NOW - HOUR, "生日回访"),
        "there": call(other_mall, manager_user, NOW - WEEK, "银卡回访"),
    }


def _listed(response) -> set[int]:
    assert response.status_code == 200
    return {task.pk for task in response.context["page_obj"]}


def test_the_dashboards_links_still_narrow_the_call_list(
    client, manager_user, supervisor_user, mall, calls
):
    client.force_login(manager_user)
    url = reverse("members:call_list")
    assert _listed(client.get(url)) == {task.pk for task in calls.values()}
    assert _listed(client.get(url, {"show": "overdue"})) == {
        calls["overdue"].pk,
        calls["there"].pk,
    }
    # a mall's column links to its own calls
    assert _listed(client.get(url, {"show": "overdue", "mall": mall.pk})) == {calls["overdue"].pk}
    assert _listed(client.get(url, {"show": "due_today", "mall": mall.pk})) == {
        calls["overdue"].pk,
        calls["due"].pk,
    }
    # and the form narrows to one campaign or one person
    campaign = calls["due"].campaign_id
    assert _listed(client.get(url, {"campaign": campaign})) == {calls["due"].pk}
    assert _listed(client.get(url, {"assignee": supervisor_user.pk})) == {calls["due"].pk}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"show": "x"}, "show"),
        ({"mall": "a", "show": "overdue"}, "mall"),
        ({"assignee": "99999999999"}, "assignee"),
        ({"campaign": "abc"}, "campaign"),
    ],
)
def test_an_invalid_call_list_filter_filters_nothing_and_says_so(
    client, manager_user, calls, params, field
):
    client.force_login(manager_user)
    response = client.get(reverse("members:call_list"), params)
    assert _listed(response) == {task.pk for task in calls.values()}
    assert f'data-testid="error-{field}"' in response.content.decode()
