"""The rosters lists filter through `rosters.filters` (issue 23): the links
of the dashboard, the home page and the handover checklist still narrow
each list, and a value the filter form refuses filters nothing and says
so next to its field, on a normal page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rosters.models import Assignment
from rosters.selectors.roster import week_start_of
from rosters.services.attendance import clock_record
from rosters.services.handover import handover_acknowledge, handover_create
from rosters.services.leave import leave_request_cancel, leave_request_create
from rosters.services.roster import assignment_set, week_get_or_create, week_publish
from rosters.services.supplies import (
    supply_allowance_set,
    supply_item_create,
    supply_requisition_approve,
    supply_requisition_create,
    supply_requisition_issue,
)
from rosters.services.swaps import swap_request_accept, swap_request_create
from rosters.tests.conftest import at

pytestmark = pytest.mark.django_db


def _get(client, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response


def _refused(response, field):
    """The form names the field's error and the page shows it beside it."""
    assert field in response.context["filters"].form.errors
    assert f'data-testid="error-{field}"' in response.content.decode()


def test_the_pending_link_keeps_the_swaps_the_supervisor_decides(
    client, mall, desk_user, colleague, supervisor_user, published_week
):
    # given two swaps next week: Monday's accepted by the colleague, so it
    # waits for the supervisor; Tuesday's still waits for the colleague
    monday, tuesday = published_week.week_start, published_week.week_start + datetime.timedelta(1)
    swaps = []
    for day in (monday, tuesday):
        mine = Assignment.objects.get(week=published_week, staff=desk_user, date=day)
        theirs = Assignment.objects.get(week=published_week, staff=colleague, date=day)
        swaps.append(swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="x"))
    swap_request_accept(actor=colleague, swap=swaps[0])
    client.force_login(supervisor_user)

    # when the dashboard's and the handover checklist's link opens the list
    narrowed = _get(client, "rosters:swaps", {"mall": mall.pk, "pending": 1})
    # then only the accepted swap is listed
    assert [s.pk for s in narrowed.context["swaps"]] == [swaps[0].pk]
    assert 'data-testid="pending-filter"' in narrowed.content.decode()

    # a hand-edited value filters nothing and says why
    refused = _get(client, "rosters:swaps", {"mall": mall.pk, "pending": "yes"})
    assert {s.pk for s in refused.context["swaps"]} == {s.pk for s in swaps}
    _refused(refused, "pending")


def test_the_pending_link_keeps_the_leave_awaiting_a_decision(
    client, mall, desk_user, colleague, supervisor_user
):
    start = timezone.localdate() + datetime.timedelta(days=20)
    waiting = leave_request_create(
        actor=desk_user, mall=mall, kind="annual", start_date=start, end_date=start, reason="x"
    )
    withdrawn = leave_request_create(
        actor=colleague, mall=mall, kind="annual", start_date=start, end_date=start, reason="y"
    )
    leave_request_cancel(actor=colleague, leave=withdrawn)
    client.force_login(supervisor_user)

    narrowed = _get(client, "rosters:leave", {"mall": mall.pk, "pending": 1})
    assert [lv.pk for lv in narrowed.context["leaves"]] == [waiting.pk]

    refused = _get(client, "rosters:leave", {"mall": mall.pk, "pending": "2"})
    assert {lv.pk for lv in refused.context["leaves"]} == {waiting.pk, withdrawn.pk}
    _refused(refused, "pending")


def test_the_pending_link_keeps_the_handovers_not_taken_over(
    client, mall, desk_user, colleague, supervisor_user, roster, next_monday
):
    desk = roster["posts"]["desk"]
    taken = handover_create(actor=desk_user, mall=mall, post=desk, now=at(next_monday, 14))
    handover_acknowledge(actor=colleague, handover=taken, now=at(next_monday, 14, 5))
    waiting = handover_create(actor=colleague, mall=mall, post=desk, now=at(next_monday, 21))
    client.force_login(supervisor_user)

    narrowed = _get(client, "rosters:handovers", {"mall": mall.pk, "pending": 1})
    assert [h.pk for h in narrowed.context["handovers"]] == [waiting.pk]

    refused = _get(client, "rosters:handovers", {"mall": mall.pk, "pending": "all"})
    assert {h.pk for h in refused.context["handovers"]} == {taken.pk, waiting.pk}
    _refused(refused, "pending")


@pytest.fixture
def supplies(mall, roster, supervisor_user):
    pen = supply_item_create(actor=supervisor_user, mall=mall, code="pen", name="签字笔")
    roll = supply_item_create(actor=supervisor_user, mall=mall, code="roll", name="小票纸")
    desk = roster["posts"]["desk"]
    supply_allowance_set(actor=supervisor_user, post=desk, item=pen, monthly_quantity=10)
    supply_allowance_set(actor=supervisor_user, post=desk, item=roll, monthly_quantity=5)
    return {"pen": pen, "roll": roll, "desk": desk}


def _requisition(desk_user, mall, supplies, item, quantity, when):
    return supply_requisition_create(
        actor=desk_user,
        mall=mall,
        post=supplies["desk"],
        item=supplies[item],
        quantity=quantity,
        reason="用完了",
        now=when,
    )


def test_the_state_link_keeps_the_requisitions_in_that_state(
    client, mall, desk_user, supervisor_user, supplies
):
    asked = _requisition(desk_user, mall, supplies, "pen", 2, at(datetime.date(2026, 11, 3), 9))
    approved = _requisition(desk_user, mall, supplies, "roll", 1, at(datetime.date(2026, 11, 3), 9))
    supply_requisition_approve(actor=supervisor_user, requisition=approved)
    client.force_login(supervisor_user)

    # the dashboard links `?state=requested`, the handover checklist also
    # `?state=approved`
    for state, kept in (("requested", asked), ("approved", approved)):
        narrowed = _get(client, "rosters:supplies", {"mall": mall.pk, "state": state})
        assert [r.pk for r in narrowed.context["requisitions"]] == [kept.pk]

    refused = _get(client, "rosters:supplies", {"mall": mall.pk, "state": "lost"})
    assert {r.pk for r in refused.context["requisitions"]} == {asked.pk, approved.pk}
    _refused(refused, "state")


def test_the_over_link_keeps_the_items_over_expected_use(
    client, mall, desk_user, supervisor_user, supplies
):
    # given 6 rolls issued in November against 5 expected, 4 pens against 10
    when = at(datetime.date(2026, 11, 10), 10)
    for item, quantity in (("roll", 6), ("pen", 4)):
        requisition = _requisition(desk_user, mall, supplies, item, quantity, when)
        supply_requisition_approve(actor=supervisor_user, requisition=requisition, now=when)
        supply_requisition_issue(actor=supervisor_user, requisition=requisition, now=when)
    client.force_login(supervisor_user)
    month = {"mall": mall.pk, "month": "2026-11"}

    narrowed = _get(client, "rosters:supply_usage", {**month, "over": 1})
    assert [r.item for r in narrowed.context["rows"]] == ["小票纸"]
    # the month is the page's, carried by the filter form
    assert 'name="month" value="2026-11"' in narrowed.content.decode()

    refused = _get(client, "rosters:supply_usage", {**month, "over": "on"})
    assert sorted(r.item for r in refused.context["rows"]) == ["小票纸", "签字笔"]
    _refused(refused, "over")


def test_the_exceptions_link_keeps_the_exceptions_of_the_range(
    client, mall, desk_user, colleague, supervisor_user, roster
):
    # given last week's Monday published: desk_user on time, colleague absent
    monday = week_start_of(timezone.localdate()) - datetime.timedelta(days=7)
    for person, code in ((desk_user, "A"), (colleague, "B")):
        assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=person,
            date=monday,
            shift_type=roster["shifts"][code],
            post=roster["posts"]["desk"],
        )
    week_publish(
        actor=supervisor_user, week=week_get_or_create(actor=supervisor_user, mall=mall, day=monday)
    )
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(monday, 8, 30))
    clock_record(staff=desk_user, mall=mall, kind="out", now=at(monday, 14, 30))
    client.force_login(supervisor_user)
    # the dashboard's "attendance exceptions this week" link
    week = {"mall": mall.pk, "start": f"{monday}", "end": f"{monday + datetime.timedelta(6)}"}

    narrowed = _get(client, "rosters:attendance", {**week, "exceptions": 1})
    assert [r.staff for r in narrowed.context["records"]] == [colleague]
    # the range is carried by the filter form as the page settled it
    assert f'name="start" value="{monday}"' in narrowed.content.decode()

    refused = _get(client, "rosters:attendance", {**week, "exceptions": "true"})
    assert {r.staff for r in refused.context["records"]} == {desk_user, colleague}
    _refused(refused, "exceptions")
