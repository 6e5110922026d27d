from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from mallservice.audit import Source, actor_context
from members.models import Member, PointsAdjustment, PointsEntry
from members.services import (
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
