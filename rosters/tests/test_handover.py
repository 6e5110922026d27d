"""Shift handover (交接班): the checklist generated from every app, the
incoming colleague's acknowledgement, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from complaints.tests.factories import make_complaint
from mallservice.handover import HandoverItem, open_items
from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from rosters.models import Assignment, Handover
from rosters.services.handover import handover_acknowledge, handover_create
from rosters.services.swaps import swap_request_create
from rosters.tests.conftest import acting, at, last_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def swap_for_colleague(published_week, desk_user, colleague, next_monday):
    """desk_user asks colleague to swap Tuesday's shifts (waiting for them)."""
    tuesday = next_monday + datetime.timedelta(days=1)
    mine = Assignment.objects.get(staff=desk_user, date=tuesday)
    theirs = Assignment.objects.get(staff=colleague, date=tuesday)
    return swap_request_create(
        actor=desk_user, mine=mine, theirs=theirs, reason="看病", now=at(next_monday, 9)
    )


def test_the_checklist_collects_open_work_from_every_app(
    colleague, desk_user, mall, shop, swap_for_colleague, next_monday
):
    # given an open complaint at the mall and a swap waiting for the colleague
    make_complaint(actor=desk_user, mall=mall, unit=shop)
    # when the colleague's checklist is collected
    items = {i.kind: i for i in open_items(user=colleague, mall=mall, now=at(next_monday, 14))}
    # then both apps answer, and empty items are left out
    assert items["complaints.open"].count == 1
    assert items["rosters.swaps_to_answer"].count == 1
    assert all(item.count for item in items.values())
    assert "rosters.swaps_to_approve" not in items  # only supervisors approve


def test_outgoing_staff_hand_over_with_a_snapshot_and_a_note(
    desk_user, mall, shop, roster, next_monday
):
    make_complaint(actor=desk_user, mall=mall, unit=shop)
    # when desk staff hand over the desk at the end of their shift
    with acting(desk_user):
        handover = handover_create(
            actor=desk_user,
            mall=mall,
            post=roster["posts"]["desk"],
            note=" 打印机卡纸 ",
            now=at(next_monday, 14, 30),
        )
    # then the checklist is stored as codes and msgids, not translated text
    assert handover.note == "打印机卡纸"
    item = next(i for i in handover.items if i["kind"] == "complaints.open")
    assert item["label"] == "Open complaints" and item["count"] == 1
    assert handover.acknowledged_at is None
    event = last_event(handover)
    assert event.pgh_context["user"] == desk_user.pk
    assert event.pgh_data["outgoing_staff_id"] == desk_user.pk


def test_the_incoming_colleague_acknowledges_once(
    desk_user, colleague, supervisor_user, mall, roster, next_monday
):
    handover = handover_create(
        actor=desk_user, mall=mall, post=roster["posts"]["desk"], now=at(next_monday, 14, 30)
    )
    # the one handing over cannot acknowledge their own handover
    with pytest.raises(ValidationError) as excinfo:
        handover_acknowledge(actor=desk_user, handover=handover)
    assert excinfo.value.code == "own_handover"
    # when the incoming colleague acknowledges
    with acting(colleague):
        handover = handover_acknowledge(
            actor=colleague, handover=handover, now=at(next_monday, 14, 35)
        )
    # then who and when are recorded, by them
    assert handover.incoming_staff == colleague
    assert handover.acknowledged_at == at(next_monday, 14, 35)
    event = last_event(handover)
    assert event.pgh_context["user"] == colleague.pk
    assert event.pgh_data["incoming_staff_id"] == colleague.pk
    # and nobody takes it over a second time
    with pytest.raises(ValidationError) as excinfo:
        handover_acknowledge(actor=supervisor_user, handover=handover)
    assert excinfo.value.code == "acknowledged"


def test_the_database_refuses_a_handover_to_oneself(desk_user, mall, roster, next_monday):
    handover = handover_create(
        actor=desk_user, mall=mall, post=roster["posts"]["desk"], now=at(next_monday, 14)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.filter(pk=handover.pk).update(
            incoming_staff=desk_user, acknowledged_at=at(next_monday, 15)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.filter(pk=handover.pk).update(acknowledged_at=at(next_monday, 15))


def test_staff_of_another_mall_cannot_see_or_acknowledge(
    client, desk_user, other_mall, mall, roster, next_monday
):
    stranger = make_staff(role=Role.DESK, mall=other_mall, username="stranger")
    handover = handover_create(
        actor=desk_user, mall=mall, post=roster["posts"]["desk"], now=at(next_monday, 14)
    )
    with pytest.raises(ValidationError):
        handover_acknowledge(actor=stranger, handover=handover)
    client.force_login(stranger)
    assert client.get(reverse("rosters:handover", args=[handover.pk])).status_code == 404
    url = reverse("rosters:handover_acknowledge", args=[handover.pk])
    assert client.post(url).status_code == 404


def test_handing_over_and_taking_over_through_the_pages(
    client, desk_user, colleague, mall, shop, roster
):
    make_complaint(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    page = client.get(reverse("rosters:handovers"))
    assert "未结投诉" in page.content.decode()  # the checklist preview, in Chinese
    response = client.post(
        reverse("rosters:handovers"),
        {"mall": mall.pk, "post": roster["posts"]["desk"].pk, "note": "雨伞在抽屉里"},
    )
    handover = Handover.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("rosters:handover", args=[handover.pk])
    # the incoming colleague opens it: the snapshot reads in their language
    client.force_login(colleague)
    body = client.get(response.url).content.decode()
    assert "未结投诉" in body and "雨伞在抽屉里" in body and "handover-acknowledge" in body
    client.post(reverse("rosters:handover_acknowledge", args=[handover.pk]))
    handover.refresh_from_db()
    assert handover.incoming_staff == colleague


def test_the_supervisor_lists_unacknowledged_handovers(
    client, desk_user, colleague, supervisor_user, mall, roster, next_monday
):
    first = handover_create(
        actor=desk_user, mall=mall, post=roster["posts"]["desk"], now=at(next_monday, 14)
    )
    handover_acknowledge(actor=colleague, handover=first, now=at(next_monday, 14, 5))
    waiting = handover_create(
        actor=colleague, mall=mall, post=roster["posts"]["desk"], now=at(next_monday, 21)
    )
    client.force_login(supervisor_user)
    response = client.get(reverse("rosters:handovers"), {"mall": mall.pk, "pending": 1})
    assert [h.pk for h in response.context["handovers"]] == [waiting.pk]


def test_a_stored_item_survives_a_missing_or_odd_value():
    item = HandoverItem.from_json({"kind": "x.y", "label": "Open complaints", "count": None})
    assert item.count == 0 and item.url == ""
