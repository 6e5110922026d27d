"""Every write of the members app. Functions are keyword-only, named
`<thing>_<verb>`, run in one transaction, lock the rows whose state they
change and raise ValidationError with a code on a broken business rule."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.services import complaints_member_move
from mallservice.daily_report import day_bounds
from mallservice.models import Mall, Unit
from mallservice.queue import enqueue_on_commit
from mallservice.roles import Role, has_role
from mallservice.validators import normalise_mobile
from members.expiry import members_with_points_expiring
from members.models import (
    CallAttempt,
    CallOutcome,
    CallTask,
    Campaign,
    Card,
    CardBatch,
    Gift,
    Member,
    MemberImport,
    MemberMerge,
    PlannerRun,
    PointsAdjustment,
    PointsEntry,
    PointsPolicy,
    Tier,
)
from members.selectors import call_assignees_for

# Adjustments larger than this many points need a supervisor's approval.
ADJUST_APPROVAL_THRESHOLD = getattr(settings, "MEMBERS_ADJUST_APPROVAL_THRESHOLD", 500)
# One point per whole yuan spent.
POINTS_PER_YUAN = getattr(settings, "MEMBERS_POINTS_PER_YUAN", 1)


def _field_error(field: str, message: Any, code: str) -> ValidationError:
    """A rule broken by one field: shown next to that field, with its code."""
    return ValidationError({field: ValidationError(message, code=code)})


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _is_supervisor(user: Any) -> bool:
    return has_role(user, Role.SUPERVISOR, Role.MANAGER)


# ---------------------------------------------------------------- members


def member_find_duplicate(
    *, mall: Mall, name: str, birthday: datetime.date | None
) -> Member | None:
    """A member of `mall` with the same name and birthday: a possible
    duplicate. Only the mall's own members: a namesake in another mall is
    none of the desk's business (membership is per mall)."""
    if not birthday:
        return None
    return (
        Member.objects.filter(mall=mall, name=name, birthday=birthday, status=Member.Status.ACTIVE)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def member_register(
    *,
    actor: Any,
    mall: Mall,
    phone: str,
    name: str,
    gender: str = "",
    birthday: datetime.date | None = None,
    source: str = Member.Source.DESK,
    tier: Tier | None = None,
    consent_callback: bool = False,
    consent_marketing: bool = False,
    notes: str = "",
    now: datetime.datetime | None = None,
) -> Member:
    """Register a member (申请/登记) of `mall`. The same phone in this mall is
    refused; a member of another mall with this phone changes nothing
    (membership is per mall). Same name and birthday in this mall is
    flagged as a possible duplicate, not refused."""
    now = _now(now)
    try:
        phone = normalise_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.error_list}) from exc
    name = name.strip()
    if len(name) < 1:
        raise _field_error("name", _("Enter the member's name."), "name_required")
    if Member.objects.filter(mall=mall, phone=phone).exists():
        raise _field_error(
            "phone", _("A member with this mobile number is already registered."), "duplicate_phone"
        )
    if tier is not None and tier.mall_id != mall.pk:
        raise _field_error("tier", _("Unknown tier."), "unknown_tier")
    if tier is None:
        tier = Tier.objects.filter(mall=mall).order_by("rank").first()
    member = Member(
        mall=mall,
        phone=phone,
        name=name,
        gender=gender,
        birthday=birthday,
        source=source,
        tier=tier,
        notes=notes,
        registered_by=actor,
        possible_duplicate_of=member_find_duplicate(mall=mall, name=name, birthday=birthday),
        consent_callback=consent_callback,
        consent_callback_at=now if consent_callback else None,
        consent_callback_by=actor if consent_callback else None,
        consent_marketing=consent_marketing,
        consent_marketing_at=now if consent_marketing else None,
        consent_marketing_by=actor if consent_marketing else None,
        last_visit_at=now,
    )
    try:
        # Two desks typing the same number at once: the unique index decides.
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise _field_error(
            "phone", _("A member with this mobile number is already registered."), "duplicate_phone"
        ) from exc
    return member


@transaction.atomic
def member_update_consent(
    *,
    actor: Any,
    member: Member,
    consent_callback: bool,
    consent_marketing: bool,
    do_not_call: bool,
    now: datetime.datetime | None = None,
) -> Member:
    """Record the member's consents (with date and staff) and do-not-call."""
    now = _now(now)
    locked = Member.objects.select_for_update().get(pk=member.pk)
    fields = []
    if locked.consent_callback != consent_callback:
        locked.consent_callback = consent_callback
        locked.consent_callback_at, locked.consent_callback_by = now, actor
        fields += ["consent_callback", "consent_callback_at", "consent_callback_by"]
    if locked.consent_marketing != consent_marketing:
        locked.consent_marketing = consent_marketing
        locked.consent_marketing_at, locked.consent_marketing_by = now, actor
        fields += ["consent_marketing", "consent_marketing_at", "consent_marketing_by"]
    if locked.do_not_call != do_not_call:
        locked.do_not_call = do_not_call
        locked.do_not_call_at = now
        fields += ["do_not_call", "do_not_call_at"]
    if fields:
        locked.save(update_fields=fields)
        if do_not_call:
            _cancel_pending_calls(member=locked, now=now)
    return locked


@transaction.atomic
def member_set_tier(
    *, actor: Any, member: Member, tier: Tier, reason: str, now: datetime.datetime | None = None
) -> Member:
    """A manual tier change: supervisors only (their action is the approval),
    with a reason kept in the history row's context. It restarts the review
    year, and automatic upgrades count only spend after it (members/tiers.py)."""
    now = _now(now)
    if not _is_supervisor(actor):
        raise ValidationError(
            _("A manual tier change needs a supervisor's approval."), code="needs_supervisor"
        )
    if not reason.strip():
        raise _field_error("reason", _("Give a reason."), "reason_required")
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if tier.mall_id != locked.mall_id:
        raise _field_error("tier", _("Unknown tier."), "unknown_tier")
    with pghistory.context(reason=reason.strip()):
        locked.tier = tier
        locked.tier_changed_at = locked.tier_set_by_hand_at = now
        locked.save(update_fields=["tier", "tier_changed_at", "tier_set_by_hand_at"])
    return locked


def _cancel_pending_calls(*, member: Member, now: datetime.datetime) -> int:
    count = 0
    for task in CallTask.objects.select_for_update().filter(
        member=member, status=CallTask.Status.PENDING
    ):
        task.transition_to(CallTask.Status.CANCELLED)
        task.closed_at = now
        task.save(update_fields=["status", "closed_at"])
        count += 1
    return count


@transaction.atomic
def member_merge(
    *, actor: Any, survivor: Member, absorbed: Member, now: datetime.datetime | None = None
) -> MemberMerge:
    """Merge a duplicate into the survivor: cards move over (a second current
    card is voided), the points move by a pair of ledger lines, pending calls
    of the duplicate are cancelled, their complaints move to the survivor;
    the duplicate is marked merged."""
    now = _now(now)
    if not _is_supervisor(actor):
        raise ValidationError(_("Only a supervisor can merge members."), code="needs_supervisor")
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("Choose two different members."), code="same_member")
    # Lock both in a fixed order so two merges cannot deadlock.
    locked = {
        m.pk: m
        for m in Member.objects.select_for_update()
        .filter(pk__in=[survivor.pk, absorbed.pk])
        .order_by("pk")
    }
    survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
    if survivor.status != Member.Status.ACTIVE or absorbed.status != Member.Status.ACTIVE:
        raise ValidationError(_("This member was already merged."), code="already_merged")
    if survivor.mall_id != absorbed.mall_id:
        raise ValidationError(_("Both members must belong to the same mall."), code="other_mall")
    snapshot = {
        "absorbed": {
            "phone": absorbed.phone,
            "name": absorbed.name,
            "tier": absorbed.tier_id,
            "points_balance": absorbed.points_balance,
        }
    }
    survivor_has_card = Card.objects.filter(member=survivor, status__in=Card.CURRENT).exists()
    cards = list(Card.objects.select_for_update().filter(member=absorbed).order_by("pk"))
    for card in cards:
        if card.status in Card.CURRENT and survivor_has_card:
            card.status = Card.Status.VOID
            card.status_changed_at = now
        elif card.status in Card.CURRENT:
            survivor_has_card = True
        card.member = survivor
        card.save(update_fields=["member", "status", "status_changed_at"])
    points = absorbed.points_balance
    if points:
        _ledger_append(
            member=absorbed,
            kind=PointsEntry.Kind.MERGE_OUT,
            points=-points,
            actor=actor,
            now=now,
            reason=f"merge → {survivor.pk}",
        )
        _ledger_append(
            member=survivor,
            kind=PointsEntry.Kind.MERGE_IN,
            points=points,
            actor=actor,
            now=now,
            reason=f"merge ← {absorbed.pk}",
        )
    tasks = _cancel_pending_calls(member=absorbed, now=now)
    # Nothing is lost: the duplicate's complaints follow them to the survivor.
    snapshot["complaints_moved"] = complaints_member_move(absorbed=absorbed, survivor=survivor)
    fields = []
    if survivor.tier and absorbed.tier and absorbed.tier.rank > survivor.tier.rank:
        survivor.tier, survivor.tier_changed_at = absorbed.tier, now
        fields += ["tier", "tier_changed_at"]
    # Consents stay as the survivor gave them: a merge never widens them.
    if absorbed.do_not_call and not survivor.do_not_call:
        survivor.do_not_call, survivor.do_not_call_at = True, now
        fields += ["do_not_call", "do_not_call_at"]
    if fields:
        survivor.save(update_fields=fields)
    absorbed.status = Member.Status.MERGED
    absorbed.merged_into = survivor
    absorbed.save(update_fields=["status", "merged_into"])
    return MemberMerge.objects.create(
        mall=survivor.mall,
        survivor=survivor,
        absorbed=absorbed,
        points_moved=points,
        cards_moved=len(cards),
        tasks_moved=tasks,
        snapshot=snapshot,
        actor=actor,
        at=now,
    )


# ------------------------------------------------------------------ cards


@transaction.atomic
def card_batch_receive(
    *,
    actor: Any,
    mall: Mall,
    code: str,
    first_number: int,
    count: int,
    width: int = 10,
    received_on: datetime.date | None = None,
) -> CardBatch:
    """Record a batch of blank cards from the printer: `count` numbers from
    `first_number`, zero-padded to `width` digits, all in stock."""
    if count < 1 or count > 100_000:
        raise _field_error("count", _("Between 1 and 100000 cards."), "bad_count")
    batch = CardBatch.objects.create(
        mall=mall, code=code, received_on=received_on or timezone.localdate()
    )
    numbers = [str(first_number + i).zfill(width) for i in range(count)]
    if Card.objects.filter(number__in=numbers).exists():
        raise _field_error(
            "first_number", _("Some of these card numbers already exist."), "duplicate_card_number"
        )
    Card.objects.bulk_create(
        [Card(mall=mall, batch=batch, number=n) for n in numbers], batch_size=2000
    )
    return batch


def _lock_card(card: Card) -> Card:
    return Card.objects.select_for_update().get(pk=card.pk)


def _take_from_stock(*, mall: Mall, number: str | None) -> Card:
    """Lock a blank card: the scanned one, or the lowest number in stock.
    skip_locked lets two desks each take a different card at once."""
    if number:
        number = number.strip()
        card = Card.objects.select_for_update().filter(mall=mall, number=number).first()
        if card is None:
            raise _field_error(
                "number", _("No card with this number in this mall's stock."), "unknown_card"
            )
        if card.status != Card.Status.STOCK:
            raise _field_error(
                "number",
                _("This card number is not in stock and cannot be issued."),
                "card_not_in_stock",
            )
        return card
    card = (
        Card.objects.select_for_update(skip_locked=True)
        .filter(mall=mall, status=Card.Status.STOCK)
        .order_by("number")
        .first()
    )
    if card is None:
        raise ValidationError(_("No blank cards in stock."), code="out_of_stock")
    return card


@transaction.atomic
def card_issue(
    *,
    actor: Any,
    member: Member,
    number: str | None = None,
    replaces: Card | None = None,
    now: datetime.datetime | None = None,
) -> Card:
    """发卡: give the member a card from stock (scanned or the next one)."""
    now = _now(now)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("This member was merged."), code="member_merged")
    if Card.objects.filter(member=member, status__in=Card.CURRENT).exists():
        raise ValidationError(
            _("This member already holds a card; report it lost to replace it."),
            code="already_has_card",
        )
    card = _take_from_stock(mall=member.mall, number=number)
    card.transition_to(Card.Status.ISSUED)
    card.member = member
    card.issued_at = now
    card.issued_by = actor
    card.status_changed_at = now
    card.replaces = replaces
    card.save(
        update_fields=[
            "status",
            "member",
            "issued_at",
            "issued_by",
            "status_changed_at",
            "replaces",
        ]
    )
    return card


@transaction.atomic
def card_confirm_entered(*, actor: Any, card: Card, now: datetime.datetime | None = None) -> Card:
    """录入系统: the issued card has been entered into the company system."""
    now = _now(now)
    card = _lock_card(card)
    card.transition_to(Card.Status.ACTIVE)
    card.entered_at = card.status_changed_at = now
    card.save(update_fields=["status", "entered_at", "status_changed_at"])
    return card


def _card_move(card: Card, target: str, now: datetime.datetime | None) -> Card:
    card = _lock_card(card)
    card.transition_to(target)
    card.status_changed_at = _now(now)
    card.save(update_fields=["status", "status_changed_at"])
    return card


@transaction.atomic
def card_report_lost(*, actor: Any, card: Card, now: datetime.datetime | None = None) -> Card:
    """挂失."""
    return _card_move(card, Card.Status.LOST, now)


@transaction.atomic
def card_freeze(*, actor: Any, card: Card, now: datetime.datetime | None = None) -> Card:
    return _card_move(card, Card.Status.FROZEN, now)


@transaction.atomic
def card_unfreeze(*, actor: Any, card: Card, now: datetime.datetime | None = None) -> Card:
    return _card_move(card, Card.Status.ACTIVE, now)


@transaction.atomic
def card_void(*, actor: Any, card: Card, now: datetime.datetime | None = None) -> Card:
    """A damaged blank or a mis-issued card: its number is never used again."""
    return _card_move(card, Card.Status.VOID, now)


@transaction.atomic
def card_reissue(
    *, actor: Any, card: Card, number: str | None = None, now: datetime.datetime | None = None
) -> Card:
    """补卡: the frozen card becomes `replaced` (never usable again) and the
    member gets a new card. Tier and points live on the member, so they carry
    over unchanged."""
    old = _card_move(card, Card.Status.REPLACED, now)
    return card_issue(actor=actor, member=old.member, number=number, replaces=old, now=now)


# ----------------------------------------------------------------- points


def _ledger_append(
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
        raise _field_error(
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
    now = _now(now)
    receipt_no = receipt_no.strip()
    if not receipt_no:
        raise _field_error("receipt_no", _("Enter the receipt number."), "receipt_required")
    if shop.mall_id != member.mall_id:
        raise _field_error("shop", _("Choose a shop of this mall."), "other_mall")
    points = int(Decimal(amount) * POINTS_PER_YUAN)
    if points <= 0:
        raise _field_error("amount", _("The amount is too small to earn points."), "no_points")
    if (
        PointsEntry.objects.filter(kind="earn", shop=shop, receipt_no=receipt_no).exists()
        or PointsAdjustment.objects.filter(
            shop=shop, receipt_no=receipt_no, status=PointsAdjustment.Status.PENDING
        ).exists()
    ):
        raise _field_error(
            "receipt_no", _("This receipt has already earned points."), "duplicate_receipt"
        )
    member = _lock_member(member)
    _require_card_in_use(member)
    held = _receipt_held_back(
        member=member, shop=shop, receipt_no=receipt_no, amount=amount, points=points, now=now
    )
    if held and not _is_supervisor(actor):
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
            raise _field_error(
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
            entry = _ledger_append(
                member=member, kind=PointsEntry.Kind.EARN, points=points, now=now, **fields
            )
    except IntegrityError as exc:
        raise _field_error(
            "receipt_no", _("This receipt has already earned points."), "duplicate_receipt"
        ) from exc
    Member.objects.filter(pk=member.pk).update(last_visit_at=now)
    return entry


@transaction.atomic
def points_redeem(
    *, actor: Any, member: Member, gift: Gift, now: datetime.datetime | None = None
) -> PointsEntry:
    """积分换购: take one gift from stock for its points."""
    now = _now(now)
    member = _lock_member(member)
    gift = Gift.objects.select_for_update().get(pk=gift.pk)
    if not gift.is_active or gift.mall_id != member.mall_id:
        raise _field_error("gift", _("This gift is not available."), "gift_unavailable")
    if gift.stock < 1:
        raise _field_error("gift", _("This gift is out of stock."), "gift_out_of_stock")
    entry = _ledger_append(
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
    now = _now(now)
    if not reason.strip():
        raise _field_error("reason", _("Give a reason."), "reason_required")
    if points == 0:
        raise _field_error("points", _("Enter a non-zero number of points."), "zero")
    member = _lock_member(member)
    if abs(points) > ADJUST_APPROVAL_THRESHOLD and not _is_supervisor(actor):
        return PointsAdjustment.objects.create(
            mall_id=member.mall_id,
            member=member,
            points=points,
            reason=reason.strip(),
            requested_by=actor,
        )
    return _ledger_append(
        member=member,
        kind=PointsEntry.Kind.ADJUST,
        points=points,
        actor=actor,
        now=now,
        reason=reason.strip(),
        approved_by=actor if _is_supervisor(actor) else None,
    )


@transaction.atomic
def points_expire(
    *, actor: Any, member: Member, points: int, reason: str, now: datetime.datetime | None = None
) -> PointsEntry | None:
    """Expire up to `points` (never below zero): a ledger line, not an edit."""
    now = _now(now)
    member = _lock_member(member)
    points = min(points, member.points_balance)
    if points <= 0:
        return None
    return _ledger_append(
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
    now = _now(now)
    if not _is_supervisor(actor):
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
        _ledger_append(
            member=member,
            kind=PointsEntry.Kind.ADJUST,
            points=adjustment.points,
            actor=adjustment.requested_by,
            approved_by=actor,
            now=now,
            reason=adjustment.reason,
        )
    return adjustment


# ------------------------------------------------------------------ calls


def _local_at(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _into_window(campaign: Campaign, when: datetime.datetime) -> datetime.datetime:
    """Move `when` into the campaign's calling window (no calls outside it)."""
    local = timezone.localtime(when)
    if local.time() < campaign.window_start:
        return _local_at(local.date(), campaign.window_start)
    if local.time() >= campaign.window_end:
        return _local_at(local.date() + datetime.timedelta(days=1), campaign.window_start)
    return when


def campaign_segment(*, campaign: Campaign, day: datetime.date):
    """The members a campaign targets on `day`, before consent filtering;
    "points expiring within N days" counts from `day`."""
    qs = Member.objects.filter(mall_id=campaign.mall_id, status=Member.Status.ACTIVE)
    if campaign.min_tier_id:
        qs = qs.filter(tier__rank__gte=campaign.min_tier.rank)
    if campaign.min_balance:
        qs = qs.filter(points_balance__gte=campaign.min_balance)
    if campaign.kind == Campaign.Kind.BIRTHDAY:
        qs = qs.filter(birthday__month=day.month)
    elif campaign.birthday_month:
        qs = qs.filter(birthday__month=campaign.birthday_month)
    if campaign.visited_within_days:
        since = _local_at(day, datetime.time()) - datetime.timedelta(
            days=campaign.visited_within_days
        )
        qs = qs.filter(last_visit_at__gte=since)
    if campaign.expiring_within_days:
        qs = qs.filter(
            pk__in=members_with_points_expiring(
                mall_id=campaign.mall_id, day=day, days=campaign.expiring_within_days
            )
        )
    return qs


@transaction.atomic
def campaign_plan(
    *, campaign: Campaign, day: datetime.date | None = None, now: datetime.datetime | None = None
) -> PlannerRun:
    """Create today's call tasks for one campaign. Idempotent: the campaign
    row lock serialises concurrent planners and the unique constraint per
    campaign/member/period makes a second run create nothing. Members without
    callback consent or on do-not-call are skipped and counted."""
    now = _now(now)
    day = day or timezone.localdate(now)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    run = PlannerRun(mall_id=campaign.mall_id, campaign=campaign, day=day, at=now)
    if (
        not campaign.is_active
        or day < campaign.starts_on
        or (campaign.ends_on and day > campaign.ends_on)
    ):
        run.save()
        return run
    period = campaign.period_start(day)
    segment = campaign_segment(campaign=campaign, day=day)
    run.skipped_do_not_call = segment.filter(do_not_call=True).count()
    run.skipped_no_consent = segment.filter(do_not_call=False, consent_callback=False).count()
    eligible = segment.filter(do_not_call=False, consent_callback=True).order_by()
    run.already_planned = CallTask.objects.filter(
        campaign=campaign, period=period, origin=CallTask.Origin.PLANNED
    ).count()
    staff = [user.pk for user in call_assignees_for(mall_id=campaign.mall_id, day=day)]
    due = max(_local_at(day, campaign.window_start), _into_window(campaign, now))
    segment_sql, segment_params = eligible.values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            PLAN_SQL.format(eligible=segment_sql),
            [
                campaign.mall_id,
                campaign.pk,
                period,
                due,
                staff,
                max(len(staff), 1),
                *segment_params,
                campaign.pk,
                period,
            ],
        )
        run.created = cursor.rowcount
    run.save()
    return run


# The planner's insert, one statement whatever the segment's size (100,000
# VIP members: no model instances in Python). Members get the day's staff in
# turn, least loaded first; the unique constraint settles any race.
PLAN_SQL = """
INSERT INTO members_calltask (mall_id, campaign_id, member_id, period, origin, due_at,
    assignee_id, status, attempts, last_outcome, closed_at, parent_id)
SELECT %s, %s, e.id, %s, 'planned', %s,
       (%s::bigint[])[1 + (row_number() OVER (ORDER BY e.id) - 1) %% %s],
       'pending', 0, '', NULL, NULL
FROM ({eligible}) AS e (id)
WHERE NOT EXISTS (
    SELECT 1 FROM members_calltask t
    WHERE t.campaign_id = %s AND t.member_id = e.id AND t.period = %s AND t.origin = 'planned'
)
ON CONFLICT (campaign_id, member_id, period) WHERE origin = 'planned' DO NOTHING
"""


def campaigns_plan_all(*, now: datetime.datetime | None = None) -> list[PlannerRun]:
    """The daily planner: every running campaign, each in its own transaction."""
    now = _now(now)
    day = timezone.localdate(now)
    ids = Campaign.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), is_active=True, starts_on__lte=day
    ).values_list("pk", flat=True)
    return [campaign_plan(campaign=Campaign(pk=pk), day=day, now=now) for pk in ids]


# Outcomes that close the task, and the ones that try again later.
CLOSING = {
    CallOutcome.CONNECTED: CallTask.Status.DONE,
    CallOutcome.REFUSED: CallTask.Status.DONE,
    CallOutcome.WRONG_NUMBER: CallTask.Status.GAVE_UP,
    CallOutcome.OPTED_OUT: CallTask.Status.DONE,
    CallOutcome.CALL_BACK: CallTask.Status.DONE,
}
RETRY = {CallOutcome.NO_ANSWER, CallOutcome.BUSY}


@transaction.atomic
def call_record_outcome(
    *,
    actor: Any,
    task: CallTask,
    outcome: str,
    note: str = "",
    callback_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> CallAttempt:
    """Record one call. No answer / busy: retry after the campaign's interval
    (inside its window) until the maximum attempts, then give up. Opted out:
    the member goes on do-not-call. Call back at …: a new task at that time."""
    now = _now(now)
    task = CallTask.objects.select_for_update().select_related("campaign").get(pk=task.pk)
    campaign = task.campaign
    if task.status != CallTask.Status.PENDING:
        raise ValidationError(_("This call is already closed."), code="invalid_transition")
    outcome = CallOutcome(outcome)
    local = timezone.localtime(now).time()
    if not (campaign.window_start <= local < campaign.window_end):
        raise ValidationError(
            _("Calls are only allowed between %(start)s and %(end)s.")
            % {
                "start": campaign.window_start.strftime("%H:%M"),
                "end": campaign.window_end.strftime("%H:%M"),
            },
            code="outside_window",
        )
    if outcome == CallOutcome.CALL_BACK:
        if callback_at is None or callback_at <= now:
            raise _field_error(
                "callback_at",
                _("Give a time in the future to call back."),
                "callback_time_required",
            )
    attempt = CallAttempt.objects.create(
        mall_id=task.mall_id,
        task=task,
        caller=actor,
        at=now,
        outcome=outcome,
        callback_at=callback_at if outcome == CallOutcome.CALL_BACK else None,
        note=note,
    )
    task.attempts += 1
    task.last_outcome = outcome
    fields = ["attempts", "last_outcome"]
    if outcome in RETRY and task.attempts < campaign.max_attempts:
        task.due_at = _into_window(
            campaign, now + datetime.timedelta(minutes=campaign.retry_minutes)
        )
        fields.append("due_at")
    else:
        task.transition_to(CLOSING.get(outcome, CallTask.Status.GAVE_UP))
        task.closed_at = now
        fields += ["status", "closed_at"]
    task.save(update_fields=fields)
    if outcome == CallOutcome.OPTED_OUT:
        member = Member.objects.select_for_update().get(pk=task.member_id)
        member.do_not_call, member.do_not_call_at = True, now
        member.save(update_fields=["do_not_call", "do_not_call_at"])
        _cancel_pending_calls(member=member, now=now)
    elif outcome == CallOutcome.CALL_BACK:
        CallTask.objects.create(
            mall_id=task.mall_id,
            campaign=campaign,
            member_id=task.member_id,
            period=task.period,
            origin=CallTask.Origin.CALLBACK,
            due_at=callback_at,
            assignee=task.assignee or actor,
            parent=task,
        )
    return attempt


# ----------------------------------------------------------------- import

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def member_import_upload(*, actor: Any, mall: Mall, filename: str, content: bytes) -> MemberImport:
    """Store an uploaded register and start the check (preview) in Celery."""
    from members import tasks

    name = filename.lower()
    if not (name.endswith(".xlsx") or name.endswith(".csv")):
        raise _field_error("file", _("Upload an Excel (.xlsx) or CSV file."), "bad_type")
    if len(content) > MAX_IMPORT_BYTES:
        raise _field_error("file", _("The file is too large (20 MB at most)."), "too_large")
    record = MemberImport.objects.create(
        mall=mall, filename=filename[:200], content=content, created_by=actor
    )
    enqueue_on_commit(tasks.import_check, record.pk, actor_id=actor.pk)
    return record


@transaction.atomic
def member_import_commit(*, actor: Any, record: MemberImport) -> MemberImport:
    """Ask Celery to insert the valid rows of a checked import (all or none)."""
    from members import tasks

    record = MemberImport.objects.select_for_update().defer("content").get(pk=record.pk)
    if record.status != MemberImport.Status.CHECKED:
        raise ValidationError(
            _("This import is not ready to be committed."), code="invalid_transition"
        )
    if record.valid_rows == 0:
        raise ValidationError(_("There are no valid rows to import."), code="nothing_to_import")
    record.status = MemberImport.Status.IMPORTING
    record.save(update_fields=["status"])
    enqueue_on_commit(tasks.import_commit, record.pk, actor_id=actor.pk)
    return record


CAMPAIGN_FIELDS = (
    "name",
    "kind",
    "script",
    "min_tier",
    "min_balance",
    "birthday_month",
    "visited_within_days",
    "expiring_within_days",
    "period_days",
    "window_start",
    "window_end",
    "max_attempts",
    "retry_minutes",
    "starts_on",
    "ends_on",
    "is_active",
)


@transaction.atomic
def campaign_save(
    *, actor: Any, mall: Mall, campaign: Campaign | None = None, **fields: Any
) -> Campaign:
    """Create or edit a follow-up campaign (supervisors). The next planner
    run uses the new settings; calls already planned stay as they are."""
    if not _is_supervisor(actor):
        raise ValidationError(_("Only a supervisor can manage campaigns."), code="needs_supervisor")
    if campaign is None:
        campaign = Campaign(mall=mall)
    else:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    for name, value in fields.items():
        if name not in CAMPAIGN_FIELDS:
            raise TypeError(name)
        setattr(campaign, name, value)
    if campaign.min_tier_id and campaign.min_tier.mall_id != campaign.mall_id:
        raise _field_error("min_tier", _("Unknown tier."), "unknown_tier")
    campaign.full_clean()
    campaign.save()
    return campaign
