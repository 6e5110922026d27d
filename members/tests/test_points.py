from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.urls import reverse

from mallservice.audit import Source, actor_context
from members.models import Member, PointsAdjustment, PointsEntry
from members.services.points import (
    points_adjust,
    points_adjustment_decide,
    points_earn,
    points_expire,
    points_redeem,
)
from members.tests.factories import GiftFactory


def test_a_receipt_earns_points_once(member, shop, desk_user):
    # given a member with a shop receipt
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        entry = points_earn(
            actor=desk_user, member=member, shop=shop, receipt_no="R-001", amount=Decimal("268.50")
        )
    assert entry.points == 268 and entry.balance_after == 268
    # when the same receipt is presented again
    with pytest.raises(ValidationError) as exc:
        points_earn(
            actor=desk_user, member=member, shop=shop, receipt_no="R-001", amount=Decimal("10")
        )
    # then it is refused and the balance is unchanged
    assert exc.value.error_dict["receipt_no"][0].code == "duplicate_receipt"
    assert Member.objects.get(pk=member.pk).points_balance == 268


def test_redeem_takes_gift_stock_and_refuses_without_points_or_stock(member, shop, desk_user, mall):
    gift = GiftFactory(mall=mall, points_cost=100, stock=1)
    points_earn(actor=desk_user, member=member, shop=shop, receipt_no="R1", amount=Decimal(250))
    entry = points_redeem(actor=desk_user, member=member, gift=gift)
    gift.refresh_from_db()
    assert entry.points == -100 and gift.stock == 0
    with pytest.raises(ValidationError) as exc:
        points_redeem(actor=desk_user, member=member, gift=gift)
    assert exc.value.error_dict["gift"][0].code == "gift_out_of_stock"
    big = GiftFactory(mall=mall, points_cost=1000, stock=3)
    with pytest.raises(ValidationError) as exc:
        points_redeem(actor=desk_user, member=member, gift=big)
    assert exc.value.error_dict["points"][0].code == "insufficient_points"


def test_large_adjustment_by_desk_waits_for_supervisor_approval(member, desk_user, supervisor_user):
    # given a desk user adjusting above the approval size
    result = points_adjust(actor=desk_user, member=member, points=800, reason="活动补录")
    # then nothing is booked until a supervisor approves
    assert isinstance(result, PointsAdjustment)
    assert Member.objects.get(pk=member.pk).points_balance == 0
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        points_adjustment_decide(actor=supervisor_user, adjustment=result, approve=True)
    entry = PointsEntry.objects.get(member=member)
    assert entry.points == 800 and entry.approved_by == supervisor_user
    assert entry.actor == desk_user
    # a small adjustment is booked at once
    small = points_adjust(actor=desk_user, member=member, points=-20, reason="更正")
    assert isinstance(small, PointsEntry)
    assert Member.objects.get(pk=member.pk).points_balance == 780


def test_ledger_rows_cannot_be_rewritten(member, desk_user, shop):
    from django.db import transaction
    from django.db.utils import InternalError

    entry = points_earn(actor=desk_user, member=member, shop=shop, receipt_no="X", amount=9)
    with pytest.raises(InternalError), transaction.atomic():
        PointsEntry.objects.filter(pk=entry.pk).update(points=9999)


@pytest.mark.django_db(transaction=True)
def test_balance_equals_ledger_sum_under_concurrent_requests(mall, desk_user, tiers):
    from mallservice.tests.factories import FloorFactory, UnitFactory
    from members.tests.factories import MemberFactory

    member = MemberFactory(mall=mall, registered_by=desk_user)
    shop = UnitFactory(floor=FloorFactory(mall=mall), mall=mall)
    gift = GiftFactory(mall=mall, points_cost=30, stock=100)
    points_earn(actor=desk_user, member=member, shop=shop, receipt_no="seed", amount=100)
    barrier = threading.Barrier(12)
    refused = []

    def work(i):
        try:
            barrier.wait()
            if i % 2:
                points_earn(
                    actor=desk_user, member=member, shop=shop, receipt_no=f"R{i}", amount=10
                )
            else:
                points_redeem(actor=desk_user, member=member, gift=gift)
        except ValidationError:
            refused.append(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    member.refresh_from_db()
    total = PointsEntry.objects.filter(member=member).aggregate(s=Sum("points"))["s"]
    assert member.points_balance == total >= 0
    last = PointsEntry.objects.filter(member=member).order_by("-pk").first()
    assert last.balance_after == member.points_balance
    redeemed = PointsEntry.objects.filter(member=member, kind="redeem").count()
    gift.refresh_from_db()
    assert gift.stock == 100 - redeemed


def test_expiry_is_a_ledger_line_and_never_goes_below_zero(member, supervisor_user):
    points_adjust(actor=supervisor_user, member=member, points=50, reason="补录")
    entry = points_expire(actor=supervisor_user, member=member, points=80, reason="年度清零")
    assert entry.points == -50 and entry.balance_after == 0
    assert points_expire(actor=supervisor_user, member=member, points=10, reason="x") is None


# --- the mall's limits on receipt points (issue: counter faults) ---------------


def _earn(actor, member, shop, receipt_no, amount):
    with actor_context(actor_id=actor.pk, source=Source.WEB):
        return points_earn(
            actor=actor, member=member, shop=shop, receipt_no=receipt_no, amount=Decimal(amount)
        )


def test_a_huge_receipt_waits_for_a_supervisor(member, shop, desk_user, supervisor_user):
    # given the default limit of ¥20,000 a receipt
    # when desk staff enter a ¥99,999,999 receipt
    held = _earn(desk_user, member, shop, "R-BIG", "99999999")
    # then nothing is credited: a request waits, saying why
    assert isinstance(held, PointsAdjustment)
    assert (held.points, held.receipt_no, held.reason) == (99999999, "R-BIG", "receipt_over_amount")
    assert held.reason_label == "小票金额超过本商场上限"
    assert Member.objects.get(pk=member.pk).points_balance == 0
    # and the same receipt cannot be entered again while it waits
    with pytest.raises(ValidationError) as exc:
        _earn(desk_user, member, shop, "R-BIG", "100")
    assert exc.value.error_dict["receipt_no"][0].code == "duplicate_receipt"
    # when a supervisor approves, the receipt is booked as earned, once
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        points_adjustment_decide(actor=supervisor_user, adjustment=held, approve=True)
    entry = PointsEntry.objects.get(member=member)
    assert (entry.kind, entry.points, entry.receipt_no, entry.shop) == (
        "earn",
        99999999,
        "R-BIG",
        shop,
    )
    assert (entry.actor, entry.approved_by) == (desk_user, supervisor_user)


def test_the_limits_are_the_malls_own_and_a_supervisor_enters_above_them(
    member, shop, desk_user, supervisor_user, mall
):
    from members.models import PointsPolicy

    PointsPolicy.objects.create(mall=mall, receipt_max_amount=Decimal("500"), daily_max_points=800)
    assert isinstance(_earn(desk_user, member, shop, "A1", "600"), PointsAdjustment)
    # a supervisor's own entry above the limit is approved as entered
    entry = _earn(supervisor_user, member, shop, "A2", "600")
    assert isinstance(entry, PointsEntry) and entry.approved_by == supervisor_user
    # the day's limit counts what the member already earned today
    assert isinstance(_earn(desk_user, member, shop, "A3", "150"), PointsEntry)
    held = _earn(desk_user, member, shop, "A4", "100")
    assert isinstance(held, PointsAdjustment) and held.reason == "over_daily_points"
    assert Member.objects.get(pk=member.pk).points_balance == 750


def test_a_receipt_number_another_shop_used_waits_for_a_supervisor(member, shop, desk_user, floor):
    from mallservice.tests.factories import UnitFactory

    other_shop = UnitFactory(floor=floor, kind="shop", name="另一家店")
    _earn(desk_user, member, shop, "R-777", "100")
    held = _earn(desk_user, member, other_shop, "R-777", "100")
    assert isinstance(held, PointsAdjustment) and held.reason == "receipt_no_at_another_shop"
    assert Member.objects.get(pk=member.pk).points_balance == 100


@pytest.mark.parametrize(
    ("status", "message"),
    [("issued", "尚未录入系统"), ("lost", "已挂失或冻结"), ("frozen", "已挂失或冻结")],
)
def test_no_points_on_a_lost_frozen_or_not_yet_entered_card(
    member, shop, desk_user, stock, status, message
):
    from members.models import Card
    from members.services.cards import card_freeze, card_issue, card_report_lost

    card = card_issue(actor=desk_user, member=member)
    if status == "lost":
        card = card_report_lost(actor=desk_user, card=card)
    elif status == "frozen":
        from members.services.cards import card_confirm_entered

        card = card_confirm_entered(actor=desk_user, card=card)
        card = card_freeze(actor=desk_user, card=card)
    assert Card.objects.get(pk=card.pk).status == status
    with pytest.raises(ValidationError) as exc:
        _earn(desk_user, member, shop, "R-C", "100")
    assert exc.value.code == "card_not_in_use" and message in exc.value.messages[0]
    assert not PointsEntry.objects.filter(member=member).exists()


def test_the_desk_is_told_a_held_receipt_waits(client, member, shop, desk_user):
    client.force_login(desk_user)
    response = client.post(
        reverse("members:earn", args=[member.pk]),
        {"shop": shop.pk, "receipt_no": "R-BIG", "amount": "99999999"},
        follow=True,
    )
    assert "小票金额超过本商场上限：该小票积分待主管审批。" in response.content.decode()
    assert Member.objects.get(pk=member.pk).points_balance == 0
