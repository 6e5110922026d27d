"""Membership cards (会员卡): blank stock from the printer, 发卡, 录入系统,
挂失, 冻结, 补卡. Each move locks the card and goes through its state machine."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.guards import field_error
from mallservice.models import Mall
from members.models import Card, CardBatch, Member


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
        raise field_error("count", _("Between 1 and 100000 cards."), "bad_count")
    batch = CardBatch.objects.create(
        mall=mall, code=code, received_on=received_on or timezone.localdate()
    )
    numbers = [str(first_number + i).zfill(width) for i in range(count)]
    if Card.objects.filter(number__in=numbers).exists():
        raise field_error(
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
            raise field_error(
                "number", _("No card with this number in this mall's stock."), "unknown_card"
            )
        if card.status != Card.Status.STOCK:
            raise field_error(
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
    now = now or timezone.now()
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("This member was merged."), code="member_merged")
    current = Card.objects.filter(member=member, status__in=Card.CURRENT).first()
    if current is not None:
        # Say the next step of 挂失 → 冻结 → 补卡 for the card the member holds.
        if current.status == Card.Status.LOST:
            message = _("Card %(number)s is reported lost: freeze it, then reissue it.")
        elif current.status == Card.Status.FROZEN:
            message = _("Card %(number)s is frozen: reissue it to give a new card.")
        else:
            message = _("This member already holds card %(number)s; report it lost to replace it.")
        raise ValidationError(message % {"number": current.number}, code="already_has_card")
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
    now = now or timezone.now()
    card = _lock_card(card)
    card.transition_to(Card.Status.ACTIVE)
    card.entered_at = card.status_changed_at = now
    card.save(update_fields=["status", "entered_at", "status_changed_at"])
    return card


def _card_move(card: Card, target: str, now: datetime.datetime | None) -> Card:
    card = _lock_card(card)
    card.transition_to(target)
    card.status_changed_at = now or timezone.now()
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
