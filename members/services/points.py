"""The points ledger (积分): receipts, gifts, manual adjustments and their
approval. Every line is appended under the member's row lock and moves the
cached balance with it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.clock import day_bounds
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Unit
from members.models import Card, Gift, Member, PointsAdjustment, PointsEntry, PointsPolicy
from members.permissions import CHANGE_POINTSADJUSTMENT

# Adjustments larger than this many points need a supervisor's approval.
ADJUST_APPROVAL_THRESHOLD = getattr(settings, "MEMBERS_ADJUST_APPROVAL_THRESHOLD", 500)


# One point per whole yuan spent.
POINTS_PER_YUAN = getattr(settings, "MEMBERS_POINTS_PER_YUAN", 1)


def ledger_append(
    *,
    member: Member,
    kind: str,
    points: int,
    actor: Any,
    now: datetime.datetime,
    **fields: Any,
) -> PointsEntry:
    """Append a ledger line and move the cached balance. The caller holds the
    member row lock, so concurrent lines apply one after another."""
    balance = member.points_balance + points
    if balance < 0:
        raise field_error(
            "points",
            _("Not enough points: the balance is %(balance)s.")
            % {"balance": member.points_balance},
            "insufficient_points",
        )
    entry = PointsEntry.objects.create(
        mall_id=member.mall_id,
        member=member,
        kind=kind,
        points=points,
        balance_after=balance,
        actor=actor,
        at=now,
        **fields,
    )
    member.points_balance = balance
    member.save(update_fields=["points_balance"])
    return entry


def _lock_member(member: Member) -> Member:
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.status != Member.Status.ACTIVE:
        raise ValidationError(_("This member was merged."), code="member_merged")
    return locked


@transaction.atomic
def points_earn(
    *,
    actor: Any,
    member: Member,
    shop: Unit,
    receipt_no: str,
    amount: Decimal,
    now: datetime.datetime | None = None,
) -> PointsEntry:
    """Points from a shop receipt (小票积分); a receipt earns only once, and
    only on a card in use. A receipt above the mall's points policy (amount,
    or the member's receipt points today), or whose number another shop of
    the mall already took, waits for a supervisor when desk staff enter it
    (returns the request); a supervisor's own entry is approved as entered."""
    now = now or timezone.now()
    receipt_no = receipt_no.strip()
    if not receipt_no:
        raise field_error("receipt_no", _("Enter the receipt number."), "receipt_required")
    require_same_mall(member.mall_id, shop, field="shop")
    points = int(Decimal(amount) * POINTS_PER_YUAN)
    if points <= 0:
        raise field_error("amount", _("The amount is too small to earn points."), "no_points")
    if (
        PointsEntry.objects.filter(kind="earn", shop=shop, receipt_no=receipt_no).exists()
        or PointsAdjustment.objects.filter(
            shop=shop, receipt_no=receipt_no, status=PointsAdjustment.Status.PENDING
        ).exists()
    ):
        raise field_error(
            "receipt_no", _("This receipt has already earned points."), "duplicate_receipt"
        )
    member = _lock_member(member)
    _require_card_in_use(member)
    held = _receipt_held_back(
        member=member, shop=shop, receipt_no=receipt_no, amount=amount, points=points, now=now
    )
    if held and not actor.has_perm(CHANGE_POINTSADJUSTMENT):
        try:
            with transaction.atomic():
                return PointsAdjustment.objects.create(
                    mall_id=member.mall_id,
                    member=member,
                    points=points,
                    reason=held,
                    requested_by=actor,
                    shop=shop,
                    receipt_no=receipt_no,
                    amount=amount,
                )
        except IntegrityError as exc:
            raise field_error(
                "receipt_no", _("This receipt has already earned points."), "duplicate_receipt"
            ) from exc
    return _receipt_earn(
        member=member,
        points=points,
        actor=actor,
        approved_by=actor if held else None,
        now=now,
        shop=shop,
        receipt_no=receipt_no,
        amount=amount,
    )


def _require_card_in_use(member: Member) -> None:
    """Points go on a card in use: not one reported lost or frozen (the
    finder would spend them), nor one issued but not yet entered."""
    card = Card.objects.filter(member=member, status__in=Card.CURRENT).first()
    if card is None or card.status == Card.Status.ACTIVE:
        return
    if card.status == Card.Status.ISSUED:
        message = _("Card %(number)s is not entered into the system yet; enter it first.")
    else:
        message = _(
            "Card %(number)s is reported lost or frozen; earn points once the new card is issued."
        )
    raise ValidationError(message % {"number": card.number}, code="card_not_in_use")


def _receipt_held_back(
    *,
    member: Member,
    shop: Unit,
    receipt_no: str,
    amount: Decimal,
    points: int,
    now: datetime.datetime,
) -> str:
    """Why a receipt needs a supervisor (a `PointsAdjustment.Hold` code), or
    "" when it does not."""
    policy = PointsPolicy.for_mall(member.mall_id)
    if Decimal(amount) > policy.receipt_max_amount:
        return PointsAdjustment.Hold.AMOUNT
    start, end = day_bounds(timezone.localdate(now))
    earned_today = (
        PointsEntry.objects.filter(
            member=member, kind=PointsEntry.Kind.EARN, at__gte=start, at__lt=end
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )
    if earned_today + points > policy.daily_max_points:
        return PointsAdjustment.Hold.DAILY
    if PointsEntry.objects.filter(
        mall_id=member.mall_id, kind=PointsEntry.Kind.EARN, receipt_no=receipt_no
    ).exists():
        return PointsAdjustment.Hold.OTHER_SHOP
    return ""


def _receipt_earn(
    *, member: Member, points: int, now: datetime.datetime, **fields: Any
) -> PointsEntry:
    try:
        with transaction.atomic():
            entry = ledger_append(
                member=member, kind=PointsEntry.Kind.EARN, points=points, now=now, **fields
            )
    except IntegrityError as exc:
        raise field_error(
            "receipt_no", _("This receipt has already earned points."), "duplicate_receipt"
        ) from exc
    Member.objects.filter(pk=member.pk).update(last_visit_at=now)
    return entry


@transaction.atomic
def points_redeem(
    *, actor: Any, member: Member, gift: Gift, now: datetime.datetime | None = None
) -> PointsEntry:
    """积分换购: take one gift from stock for its points."""
    now = now or timezone.now()
    member = _lock_member(member)
    gift = Gift.objects.select_for_update().get(pk=gift.pk)
    require_same_mall(member.mall_id, gift, field="gift")
    if not gift.is_active:
        raise field_error("gift", _("This gift is not available."), "gift_unavailable")
    if gift.stock < 1:
        raise field_error("gift", _("This gift is out of stock."), "gift_out_of_stock")
    entry = ledger_append(
        member=member,
        kind=PointsEntry.Kind.REDEEM,
        points=-gift.points_cost,
        actor=actor,
        now=now,
        gift=gift,
        reason=gift.name,
    )
    gift.stock -= 1
    gift.save(update_fields=["stock"])
    return entry


@transaction.atomic
def points_adjust(
    *, actor: Any, member: Member, points: int, reason: str, now: datetime.datetime | None = None
) -> PointsEntry | PointsAdjustment:
    """A manual adjustment with a reason. Above the approval size a desk
    user's adjustment waits for a supervisor (returns the request)."""
    now = now or timezone.now()
    if not reason.strip():
        raise field_error("reason", _("Give a reason."), "reason_required")
    if points == 0:
        raise field_error("points", _("Enter a non-zero number of points."), "zero")
    member = _lock_member(member)
    approver = actor.has_perm(CHANGE_POINTSADJUSTMENT)
    if abs(points) > ADJUST_APPROVAL_THRESHOLD and not approver:
        return PointsAdjustment.objects.create(
            mall_id=member.mall_id,
            member=member,
            points=points,
            reason=reason.strip(),
            requested_by=actor,
        )
    return ledger_append(
        member=member,
        kind=PointsEntry.Kind.ADJUST,
        points=points,
        actor=actor,
        now=now,
        reason=reason.strip(),
        approved_by=actor if approver else None,
    )


@transaction.atomic
def points_expire(
    *, actor: Any, member: Member, points: int, reason: str, now: datetime.datetime | None = None
) -> PointsEntry | None:
    """Expire up to `points` (never below zero): a ledger line, not an edit."""
    now = now or timezone.now()
    member = _lock_member(member)
    points = min(points, member.points_balance)
    if points <= 0:
        return None
    return ledger_append(
        member=member,
        kind=PointsEntry.Kind.EXPIRE,
        points=-points,
        actor=actor,
        now=now,
        reason=reason,
    )


@transaction.atomic
def points_adjustment_decide(
    *,
    actor: Any,
    adjustment: PointsAdjustment,
    approve: bool,
    now: datetime.datetime | None = None,
) -> PointsAdjustment:
    now = now or timezone.now()
    if not actor.has_perm(CHANGE_POINTSADJUSTMENT):
        raise ValidationError(_("Only a supervisor can approve."), code="needs_supervisor")
    adjustment = PointsAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    adjustment.transition_to(
        PointsAdjustment.Status.APPROVED if approve else PointsAdjustment.Status.REJECTED
    )
    adjustment.decided_by, adjustment.decided_at = actor, now
    adjustment.save(update_fields=["status", "decided_by", "decided_at"])
    if approve and adjustment.receipt_no:
        _receipt_earn(
            member=_lock_member(adjustment.member),
            points=adjustment.points,
            actor=adjustment.requested_by,
            approved_by=actor,
            now=now,
            shop=adjustment.shop,
            receipt_no=adjustment.receipt_no,
            amount=adjustment.amount,
        )
    elif approve:
        member = _lock_member(adjustment.member)
        ledger_append(
            member=member,
            kind=PointsEntry.Kind.ADJUST,
            points=adjustment.points,
            actor=adjustment.requested_by,
            approved_by=actor,
            now=now,
            reason=adjustment.reason,
        )
    return adjustment
