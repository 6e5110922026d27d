"""Shift handover (交接班): the mailroom's open items — parcels waiting on
the shelves and items lent out — on the checklist of the mall's desk."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from mailroom import handover
from mailroom.services.lending import loan_lend, loan_return
from mailroom.services.parcels import parcel_pickup
from mailroom.tests.factories import SIGNATURE_PNG, make_asset, make_parcel
from mallservice.handover import HandoverItem, open_items
from mallservice.roles import Role
from mallservice.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _lend(actor, mall, *, due_in: datetime.timedelta, now: datetime.datetime):
    return loan_lend(
        actor=actor,
        asset=make_asset(actor=actor, mall=mall),
        borrower_name="孙阿姨",
        borrower_phone="13700001111",
        deposit_kind="id_card",
        id_last4="1234",
        due_at=now + due_in,
        now=now - datetime.timedelta(hours=1),
    )


def test_the_checklist_lists_parcels_waiting_and_items_lent_out(
    desk_user, mall, other_mall, django_assert_max_num_queries
):
    now = timezone.now()
    # given two parcels waiting and one collected at the mall
    make_parcel(actor=desk_user, mall=mall)
    make_parcel(actor=desk_user, mall=mall)
    collected = make_parcel(actor=desk_user, mall=mall)
    parcel_pickup(
        actor=desk_user,
        mall=mall,
        parcel_ids=[collected.pk],
        collector_name="王磊",
        verification="id_last4",
        id_last4="1234",
        signature_png=SIGNATURE_PNG,
    )
    # and two items lent out (one overdue) and one back
    _lend(desk_user, mall, due_in=datetime.timedelta(hours=2), now=now)
    _lend(desk_user, mall, due_in=datetime.timedelta(minutes=-30), now=now)
    back = _lend(desk_user, mall, due_in=datetime.timedelta(hours=2), now=now)
    loan_return(actor=desk_user, loan=back, condition="good", deposit_returned=True)
    # and another mall's parcel, which is not this desk's
    other_desk = make_staff(role=Role.DESK, mall=other_mall, username="desk-other-ho")
    make_parcel(actor=other_desk, mall=other_mall)
    # when the desk's open items are collected (once the user's permissions
    # and malls are known: one query for the parcels, one for the loans)
    handover.open_items(user=desk_user, mall=mall, now=now)
    with django_assert_max_num_queries(2):
        items = handover.open_items(user=desk_user, mall=mall, now=now)
    # then the waiting parcels and the items out are counted
    counts = {item.kind: item.count for item in items}
    assert counts == {
        "mailroom.parcels_waiting": 2,
        "mailroom.loans_out": 2,
        "mailroom.loans_overdue": 1,
    }
    assert all(f"mall={mall.pk}" in item.url for item in items)
    # and the labels are stored in English, shown in the reader's language
    waiting = next(i for i in items if i.kind == "mailroom.parcels_waiting")
    assert waiting.label == "Parcels waiting for pick-up"
    with override("zh-hans"):
        assert HandoverItem.from_json(waiting.as_json()).display_label == "待领取包裹"


def test_nothing_open_leaves_the_mailroom_off_the_checklist(desk_user, mall):
    items = open_items(user=desk_user, mall=mall, now=timezone.now())
    assert not [item for item in items if item.kind.startswith("mailroom.")]


def test_the_broadcast_room_has_no_mailroom_items(broadcaster_user, desk_user, mall):
    make_parcel(actor=desk_user, mall=mall)
    assert handover.open_items(user=broadcaster_user, mall=mall, now=timezone.now()) == []


def test_the_broadcast_room_sees_only_the_mailroom_tabs_it_may_open(client, broadcaster_user):
    # given a broadcaster, who may see found items (to announce them) only
    client.force_login(broadcaster_user)
    # when they open lost and found
    page = client.get(reverse("mailroom:found_list"))
    # then no tab leads to a page that would answer 403
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("mailroom:found_list") in html
    for name in (
        "parcel_list",
        "parcel_receive",
        "pickup",
        "register",
        "outgoing_list",
        "loan_list",
    ):
        assert f'href="{reverse(f"mailroom:{name}")}"' not in html
