"""The members figures on the supervisor dashboard and the counter search."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mallservice.testing import dashboard_figures, in_chinese
from members.models import CallTask, Member, PointsAdjustment
from members.tests.factories import CampaignFactory, MemberFactory

from .conftest import NOON as NOW

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _calls(mall, staff, *, n, **state):
    campaign = CampaignFactory(mall=mall, name=f"回访{mall.pk}")
    tasks = []
    for _ in range(n):
        member = MemberFactory(mall=mall, registered_by=staff)
        tasks.append(
            CallTask.objects.create(
                mall=mall,
                campaign=campaign,
                member=member,
                period=datetime.date(2026, 11, 1),
                assignee=staff,
                **{"due_at": NOW - HOUR, **state},
            )
        )
    return tasks


def _listed(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {task.pk for task in response.context["page_obj"]}


def test_todays_calls_are_counted_and_each_figure_lists_its_calls(
    client, supervisor_user, desk_user, mall, other_mall
):
    # given 3 calls due today, 2 done today and 4 a week overdue here,
    # and calls of another mall that must not count
    due = _calls(mall, desk_user, n=3)
    done = _calls(mall, desk_user, n=2, status=CallTask.Status.DONE, closed_at=NOW - HOUR)
    overdue = _calls(mall, desk_user, n=4, due_at=NOW - 7 * 24 * HOUR)
    _calls(other_mall, desk_user, n=5)
    # when the supervisor opens the dashboard
    figures = dashboard_figures(client, supervisor_user)
    # then the open calls due by tonight include the overdue ones
    assert figures[in_chinese("Calls due today")].value == 7
    assert figures[in_chinese("Calls done today")].value == 2
    assert figures[in_chinese("Overdue calls")].value == 4
    assert figures[in_chinese("Campaigns behind")].value == 1
    # and each figure opens the list of exactly those calls
    assert _listed(client, figures[in_chinese("Calls due today")].url) == {
        t.pk for t in due + overdue
    }
    assert _listed(client, figures[in_chinese("Calls done today")].url) == {t.pk for t in done}
    assert _listed(client, figures[in_chinese("Overdue calls")].url) == {t.pk for t in overdue}


def test_calls_are_broken_down_by_staff_member(client, supervisor_user, desk_user, mall):
    _calls(mall, desk_user, n=2)
    _calls(mall, desk_user, n=1, status=CallTask.Status.DONE, closed_at=NOW - HOUR)
    client.force_login(supervisor_user)
    response = client.get(reverse("dashboard"))
    panel = next(
        p
        for p in response.context["columns"][0]["panels"]
        if p.title == in_chinese("Follow-up calls today")
    )
    rows = dict(panel.rows)
    name = desk_user.display_name or desk_user.username
    assert rows[name] == in_chinese("%(done)s done · %(due)s to call") % {"done": 1, "due": 2}


def test_the_completion_trend_covers_30_days(client, supervisor_user, desk_user, mall):
    _calls(mall, desk_user, n=1, status=CallTask.Status.DONE, closed_at=NOW - HOUR)
    _calls(mall, desk_user, n=3)
    client.force_login(supervisor_user)
    response = client.get(reverse("dashboard"))
    panel = next(
        p
        for p in response.context["columns"][0]["panels"]
        if p.title == in_chinese("Follow-up calls today")
    )
    chart = panel.charts[0]
    assert len(chart.labels) == 30 and chart.labels[-1] == "11-27"
    assert chart.datasets[0]["data"][-1] == 25  # 1 of 4 done
    assert chart.datasets[0]["data"][0] is None


def test_stuck_cards_and_pending_adjustments_are_counted(
    client, supervisor_user, desk_user, mall, other_mall
):
    # given 2 members registered five days ago still without a card, one
    # fresh member, and 3 points adjustments waiting (one in another mall)
    for _ in range(2):
        MemberFactory(mall=mall, registered_by=desk_user)
    fresh = MemberFactory(mall=mall, registered_by=desk_user)
    Member.objects.exclude(pk=fresh.pk).update(registered_at=NOW - 5 * 24 * HOUR)
    Member.objects.filter(pk=fresh.pk).update(registered_at=NOW - HOUR)
    for owner_mall, n in ((mall, 3), (other_mall, 1)):
        member = MemberFactory(mall=owner_mall, registered_by=desk_user)
        Member.objects.filter(pk=member.pk).update(registered_at=NOW - HOUR)
        for _ in range(n):
            PointsAdjustment.objects.create(
                mall=owner_mall, member=member, points=100, reason="补录", requested_by=desk_user
            )
    # when the supervisor opens the dashboard
    figures = dashboard_figures(client, supervisor_user)
    # then
    stuck = figures[in_chinese("Cards stuck at a stage")]
    adjustments = figures[in_chinese("Points adjustments to approve")]
    assert stuck.value == 2 and stuck.url.endswith("#stuck-cards")
    assert adjustments.value == 3 and adjustments.url.endswith("#adjustments")
    page = client.get(adjustments.url.split("#")[0])
    assert len(page.context["adjustments"]) == 3
    assert len(page.context["no_card"]) == 2


def test_the_dashboard_query_count_does_not_grow_with_calls(
    client, supervisor_user, desk_user, mall
):
    client.force_login(supervisor_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(queries)

    _calls(mall, desk_user, n=1)
    _calls(mall, desk_user, n=1, status=CallTask.Status.DONE, closed_at=NOW - HOUR)
    count()  # warm caches (permissions, session)
    one = count()
    _calls(mall, desk_user, n=20)
    _calls(mall, desk_user, n=20, status=CallTask.Status.DONE, closed_at=NOW - HOUR)
    _calls(mall, desk_user, n=20, due_at=NOW - 7 * 24 * HOUR)
    assert count() == one


def test_the_call_list_is_for_supervisors(client, desk_user):
    client.force_login(desk_user)
    assert client.get(reverse("members:call_list")).status_code == 403
