"""Parking validation (停车减免): the hours by the mall's rules, the record
with its receipts (each validates once), and the send to the car park."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.carpark import carpark_system
from desk.models import (
    ParkingReceipt,
    ParkingSpendRule,
    ParkingTierHours,
    ParkingValidation,
    ReferenceCounter,
)
from desk.services.references import reference_next
from desk.validators import normalise_plate
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall
from mallservice.workflow import locked

# A mall that has set no rules: "≥200 元 → 2 h, ≥500 元 → 4 h".
DEFAULT_SPEND_RULES = [(decimal.Decimal(200), 2), (decimal.Decimal(500), 4)]


def spend_rules(*, mall: Mall) -> list[tuple[decimal.Decimal, int]]:
    rules = list(
        ParkingSpendRule.objects.filter(mall=mall)
        .order_by("min_amount")
        .values_list("min_amount", "hours")
    )
    return rules or DEFAULT_SPEND_RULES


def parking_hours(*, mall: Mall, member: Any, amount: decimal.Decimal) -> tuple[int, int]:
    """(hours for the member's tier, hours for the receipts' total): the
    tier's hours when the mall set any for it, plus the highest spend
    threshold the total reaches."""
    tier_hours = 0
    if member is not None and member.tier_id:
        tier_hours = (
            ParkingTierHours.objects.filter(tier_id=member.tier_id)
            .values_list("hours", flat=True)
            .first()
            or 0
        )
    spend_hours = max(
        (hours for minimum, hours in spend_rules(mall=mall) if amount >= minimum), default=0
    )
    return tier_hours, spend_hours


def _taken_error(taken: list[str]):
    return field_error(
        "receipts",
        _("Already used for parking: %(numbers)s.") % {"numbers": ", ".join(sorted(taken))},
        "receipt_used",
    )


@transaction.atomic
def _record(
    *,
    actor: Any,
    mall: Mall,
    plate: str,
    receipts: list[tuple[str, decimal.Decimal]],
    member: Any,
    now: datetime.datetime,
) -> ParkingValidation:
    plate = normalise_plate(plate)
    if member is not None:
        require_same_mall(mall, member, field="member")
    receipts = [(number.strip().upper(), amount) for number, amount in receipts]
    numbers = [number for number, _amount in receipts]
    if len(set(numbers)) != len(numbers):
        raise field_error("receipts", _("A receipt is listed twice."), "receipt_twice")
    taken = list(
        ParkingReceipt.objects.filter(mall=mall, receipt_no__in=numbers).values_list(
            "receipt_no", flat=True
        )
    )
    if taken:
        raise _taken_error(taken)
    amount = sum((amount for _number, amount in receipts), decimal.Decimal(0))
    tier_hours, spend_hours = parking_hours(mall=mall, member=member, amount=amount)
    validation = ParkingValidation(
        mall=mall,
        plate=plate,
        member=member,
        tier_hours=tier_hours,
        spend_amount=amount,
        spend_hours=spend_hours,
        hours=tier_hours + spend_hours,
        recorded_by=actor,
        created_at=now,
    )
    validation.reference = reference_next(
        mall=mall, series=ReferenceCounter.Series.PARKING, year=local_date(now).year
    )
    validation.full_clean()
    validation.save()
    try:
        with transaction.atomic():
            ParkingReceipt.objects.bulk_create(
                [
                    ParkingReceipt(validation=validation, mall=mall, receipt_no=n, amount=a)
                    for n, a in receipts
                ]
            )
    except IntegrityError:
        # Another desk used one of them a moment ago (the unique constraint).
        raise _taken_error(numbers) from None
    return validation


def parking_validate(
    *,
    actor: Any,
    mall: Mall,
    plate: str,
    receipts: list[tuple[str, decimal.Decimal]],
    member: Any = None,
    now: datetime.datetime | None = None,
) -> ParkingValidation:
    """Record a validation with the next TC- reference and its receipts (a
    receipt validates once in its mall: checked for the message, held by
    the unique constraint), then send it to the car park (`parking_send`).
    The record is committed before the car park is called: a car park that
    does not answer leaves a failed validation the desk sends again."""
    validation = _record(
        actor=actor,
        mall=mall,
        plate=plate,
        receipts=receipts,
        member=member,
        now=now or timezone.now(),
    )
    return parking_send(actor=actor, validation=validation, now=now)


def parking_send(
    *, actor: Any, validation: ParkingValidation, now: datetime.datetime | None = None
) -> ParkingValidation:
    """Send a recorded or failed validation to the car park and record its
    answer. The call is made outside any transaction (no row lock held
    while the network answers); the answer is saved under the row's lock,
    unless another desk applied it meanwhile."""
    if not validation.can_transition_to(ParkingValidation.Status.APPLIED):
        validation.transition_to(ParkingValidation.Status.APPLIED)  # raises the clear refusal
    answer = carpark_system().validate(
        mall=validation.mall.code,
        reference=validation.reference,
        plate=validation.plate,
        hours=validation.hours,
    )
    with transaction.atomic():
        validation = locked(validation)
        if validation.status == ParkingValidation.Status.APPLIED:
            return validation
        if answer.ok:
            validation.transition_to(ParkingValidation.Status.APPLIED)
            validation.applied_at = now or timezone.now()
        else:
            validation.transition_to(ParkingValidation.Status.FAILED)
        validation.carpark_reference = answer.ticket
        validation.carpark_message = answer.message
        validation.save(
            update_fields=["status", "applied_at", "carpark_reference", "carpark_message"]
        )
    return validation
