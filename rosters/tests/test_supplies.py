"""Office supplies (办公用品): requisitions approved by the supervisor, the
issue recorded, and use against the expected monthly use per post."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from rosters.models import SupplyRequisition
from rosters.selectors.supplies import supply_usage
from rosters.services.supplies import (
    supply_allowance_set,
    supply_item_create,
    supply_requisition_approve,
    supply_requisition_create,
    supply_requisition_issue,
)
from rosters.tests.conftest import acting, at, last_event

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 10)


@pytest.fixture
def supplies(mall, roster, supervisor_user):
    pen = supply_item_create(actor=supervisor_user, mall=mall, code="pen", name="签字笔")
    roll = supply_item_create(
        actor=supervisor_user, mall=mall, code="roll", name="小票纸", unit="卷"
    )
    desk = roster["posts"]["desk"]
    supply_allowance_set(actor=supervisor_user, post=desk, item=pen, monthly_quantity=10)
    supply_allowance_set(actor=supervisor_user, post=desk, item=roll, monthly_quantity=5)
    return {"pen": pen, "roll": roll, "desk": desk}


def _issued(desk_user, supervisor_user, mall, supplies, item, quantity, when):
    requisition = supply_requisition_create(
        actor=desk_user,
        mall=mall,
        post=supplies["desk"],
        item=supplies[item],
        quantity=quantity,
        reason="用完了",
        now=when,
    )
    supply_requisition_approve(actor=supervisor_user, requisition=requisition, now=when)
    return supply_requisition_issue(actor=supervisor_user, requisition=requisition, now=when)


def test_a_requisition_is_approved_by_the_supervisor_then_issued(
    desk_user, supervisor_user, mall, supplies
):
    # given desk staff ask for 3 pens for the desk
    with acting(desk_user):
        requisition = supply_requisition_create(
            actor=desk_user,
            mall=mall,
            post=supplies["desk"],
            item=supplies["pen"],
            quantity=3,
            reason="顾客借笔未还",
            now=at(DAY, 10),
        )
    assert last_event(requisition).pgh_context["user"] == desk_user.pk
    # desk staff cannot approve (their own or anyone's)
    with pytest.raises(ValidationError):
        supply_requisition_approve(actor=desk_user, requisition=requisition)
    # nor can it be issued before approval
    with pytest.raises(ValidationError):
        supply_requisition_issue(actor=supervisor_user, requisition=requisition)
    # when the supervisor approves and records the issue
    with acting(supervisor_user):
        supply_requisition_approve(actor=supervisor_user, requisition=requisition, now=at(DAY, 11))
        requisition = supply_requisition_issue(
            actor=supervisor_user, requisition=requisition, now=at(DAY, 12)
        )
    # then both are recorded, by the supervisor
    assert requisition.state == "issued"
    assert requisition.decided_by == supervisor_user and requisition.issued_at == at(DAY, 12)
    event = last_event(requisition)
    assert event.pgh_context["user"] == supervisor_user.pk
    assert event.pgh_data["state"] == "issued"


def test_use_against_expected_flags_items_running_over(desk_user, supervisor_user, mall, supplies):
    _issued(desk_user, supervisor_user, mall, supplies, "pen", 4, at(DAY, 10))
    _issued(desk_user, supervisor_user, mall, supplies, "roll", 6, at(DAY, 10))
    # last month's issue does not count this month
    _issued(desk_user, supervisor_user, mall, supplies, "pen", 50, at(DAY.replace(month=10), 10))
    rows = {r.item: r for r in supply_usage(user=supervisor_user, malls=[mall], month=DAY)}
    assert (rows["签字笔"].used, rows["签字笔"].expected, rows["签字笔"].over) == (4, 10, False)
    assert (rows["小票纸"].used, rows["小票纸"].expected, rows["小票纸"].over) == (6, 5, True)
    assert rows["小票纸"].percent == 120


def test_the_usage_page_shows_only_items_over_when_asked(
    client, desk_user, supervisor_user, mall, supplies
):
    _issued(desk_user, supervisor_user, mall, supplies, "roll", 6, at(DAY, 10))
    client.force_login(supervisor_user)
    response = client.get(
        reverse("rosters:supply_usage"), {"mall": mall.pk, "month": "2026-11", "over": 1}
    )
    assert [r.item for r in response.context["rows"]] == ["小票纸"]
    assert "data-chart" in response.content.decode()


def test_the_database_refuses_zero_and_an_undecided_issue(desk_user, mall, supplies):
    requisition = supply_requisition_create(
        actor=desk_user,
        mall=mall,
        post=supplies["desk"],
        item=supplies["pen"],
        quantity=1,
        reason="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplyRequisition.objects.filter(pk=requisition.pk).update(quantity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplyRequisition.objects.filter(pk=requisition.pk).update(state="issued")


def test_requisitions_through_the_pages(client, desk_user, supervisor_user, mall, supplies):
    client.force_login(desk_user)
    response = client.post(
        reverse("rosters:supplies"),
        {
            "mall": mall.pk,
            "post": supplies["desk"].pk,
            "item": supplies["roll"].pk,
            "quantity": 2,
            "reason": "打印小票",
        },
    )
    assert response.status_code == 302
    requisition = SupplyRequisition.objects.get()
    # desk staff may not approve through the page either
    url = reverse("rosters:supply_approve", args=[requisition.pk])
    assert client.post(url).status_code == 403
    assert client.get(reverse("rosters:supply_usage")).status_code == 403
    client.force_login(supervisor_user)
    listed = client.get(reverse("rosters:supplies"), {"state": "requested"})
    assert [r.pk for r in listed.context["requisitions"]] == [requisition.pk]
    client.post(url)
    client.post(reverse("rosters:supply_issue", args=[requisition.pk]))
    requisition.refresh_from_db()
    assert requisition.state == "issued" and requisition.issued_by == supervisor_user


def test_staff_see_only_their_own_requisitions(
    client, desk_user, colleague, supervisor_user, mall, supplies
):
    mine = supply_requisition_create(
        actor=desk_user,
        mall=mall,
        post=supplies["desk"],
        item=supplies["pen"],
        quantity=1,
        reason="a",
    )
    supply_requisition_create(
        actor=colleague,
        mall=mall,
        post=supplies["desk"],
        item=supplies["pen"],
        quantity=1,
        reason="b",
    )
    client.force_login(desk_user)
    response = client.get(reverse("rosters:supplies"))
    assert [r.pk for r in response.context["requisitions"]] == [mine.pk]
