"""The lending desk: the items lent, taken out of service and back, and
loans against a cash deposit or an ID card held at the desk."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailroom.models import LendableAsset, Loan
from mailroom.services.common import signature_file
from mallservice.guards import field_error
from mallservice.models import Mall, User
from mallservice.validators import normalise_mobile


@transaction.atomic
def asset_create(
    *, actor: User, mall: Mall, tag: str, kind: str, description: str = ""
) -> LendableAsset:
    asset = LendableAsset(mall=mall, tag=tag.strip().upper(), kind=kind, description=description)
    asset.full_clean()
    asset.save()
    return asset


@transaction.atomic
def asset_take_out_of_service(
    *,
    actor: User,
    asset: LendableAsset,
    reason: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> LendableAsset:
    """Take a lending item out of service (damaged, away for repair, lost):
    it can no longer be lent. An item that is lent out is checked in first
    (its condition is recorded on the loan)."""
    now = now or timezone.now()
    asset = LendableAsset.objects.select_for_update().get(pk=asset.pk)
    if not asset.is_active:
        raise ValidationError(_("This item is already out of service."), code="already_out")
    if reason not in LendableAsset.OutOfService.values:
        raise field_error("reason", _("Choose why it goes out of service."), "invalid")
    if reason == LendableAsset.OutOfService.OTHER and not note.strip():
        raise field_error("note", _("Say what is wrong with it."), "note_required")
    if Loan.objects.filter(asset=asset, returned_at__isnull=True).exists():
        raise ValidationError(
            _("This item is lent out: check it in first, with its condition."), code="lent_out"
        )
    asset.is_active = False
    asset.out_of_service_reason = reason
    return _service_changed(asset, actor=actor, note=note, now=now)


@transaction.atomic
def asset_return_to_service(
    *,
    actor: User,
    asset: LendableAsset,
    note: str = "",
    now: datetime.datetime | None = None,
) -> LendableAsset:
    """Put an item back into service (repaired, found again) with a note of
    what was done; it can be lent again."""
    asset = LendableAsset.objects.select_for_update().get(pk=asset.pk)
    if asset.is_active:
        raise ValidationError(_("This item is already in service."), code="already_in")
    if not note.strip():
        raise field_error("note", _("Say what was done (repaired, found …)."), "note_required")
    asset.is_active = True
    asset.out_of_service_reason = ""
    return _service_changed(asset, actor=actor, note=note, now=now or timezone.now())


def _service_changed(
    asset: LendableAsset, *, actor: User, note: str, now: datetime.datetime
) -> LendableAsset:
    asset.service_note = note.strip()
    asset.service_changed_at, asset.service_changed_by = now, actor
    asset.full_clean()
    asset.save(
        update_fields=[
            "is_active",
            "out_of_service_reason",
            "service_note",
            "service_changed_at",
            "service_changed_by",
        ]
    )
    return asset


@transaction.atomic
def loan_lend(
    *,
    actor: User,
    asset: LendableAsset,
    borrower_name: str,
    borrower_phone: str,
    deposit_kind: str,
    due_at: datetime.datetime,
    deposit_amount: Decimal | None = None,
    id_last4: str = "",
    signature_png: bytes = b"",
    now: datetime.datetime | None = None,
) -> Loan:
    """Lend an item against a cash deposit or an ID card held at the desk
    (only its last four digits are recorded). The borrower signs for a cash
    deposit on the screen; the desk prints the deposit slip from the loan."""
    now = now or timezone.now()
    asset = LendableAsset.objects.select_for_update().get(pk=asset.pk)
    if not asset.is_active:
        raise ValidationError(_("This item is out of service."), code="inactive")
    if Loan.objects.filter(asset=asset, returned_at__isnull=True).exists():
        raise ValidationError(_("This item is already lent out."), code="already_lent")
    if due_at <= now:
        raise field_error("due_at", _("The due time must be later."), "due_past")
    if deposit_kind == Loan.DepositKind.CASH:
        if not deposit_amount or deposit_amount <= 0:
            raise field_error("deposit_amount", _("Enter the cash deposit."), "deposit_required")
        if not signature_png:
            raise field_error(
                "signature",
                _("The borrower signs for a cash deposit: ask them to sign on the screen."),
                "signature_missing",
            )
        id_last4 = ""
    else:
        deposit_amount = None
        signature_png = b""
        if not id_last4.strip():
            raise field_error(
                "id_last4", _("Enter the last four digits of the ID card held."), "deposit_required"
            )
    loan = Loan(
        asset=asset,
        mall_id=asset.mall_id,
        borrower_name=borrower_name.strip(),
        borrower_phone=normalise_mobile(borrower_phone),
        deposit_kind=deposit_kind,
        deposit_amount=deposit_amount,
        id_last4=id_last4.strip().upper(),
        lent_by=actor,
        lent_at=now,
        due_at=due_at,
    )
    if signature_png:
        signature = signature_file(signature_png)
        loan.borrower_signature.save(signature.name, signature, save=False)
    loan.full_clean()
    loan.save()
    return loan


@transaction.atomic
def loan_return(
    *,
    actor: User,
    loan: Loan,
    condition: str,
    deposit_returned: bool,
    note: str = "",
    out_of_service: bool = False,
    now: datetime.datetime | None = None,
) -> Loan:
    """Check an item back in; the deposit goes back only now, after the
    condition check (kept when the item is damaged, with a note). A damaged
    or incomplete item can be taken out of service in the same step."""
    now = now or timezone.now()
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.returned_at is not None:
        raise ValidationError(_("This item was already returned."), code="already_returned")
    if condition not in Loan.Condition.values:
        raise field_error("condition", _("Check the condition."), "invalid")
    if condition != Loan.Condition.GOOD and not note.strip():
        raise field_error("note", _("Describe the damage or the missing parts."), "note_required")
    if out_of_service and condition == Loan.Condition.GOOD:
        raise field_error(
            "out_of_service", _("An item in good condition stays in service."), "good_condition"
        )
    loan.returned_at = now
    loan.returned_to = actor
    loan.return_condition = condition
    loan.return_note = note.strip()
    loan.deposit_returned_at = now if deposit_returned else None
    loan.save(
        update_fields=[
            "returned_at",
            "returned_to",
            "return_condition",
            "return_note",
            "deposit_returned_at",
        ]
    )
    if out_of_service:
        asset_take_out_of_service(
            actor=actor,
            asset=loan.asset,
            reason=LendableAsset.OutOfService.DAMAGED,
            note=note,
            now=now,
        )
    return loan


@transaction.atomic
def loan_deposit_return(*, actor: User, loan: Loan, now: datetime.datetime | None = None) -> Loan:
    """Give back a deposit kept at check-in (e.g. after a damage settlement)."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.returned_at is None:
        raise ValidationError(
            _("The deposit goes back only when the item is back."), code="not_returned"
        )
    if loan.deposit_returned_at is not None:
        raise ValidationError(_("The deposit was already returned."), code="already")
    loan.deposit_returned_at = now or timezone.now()
    loan.save(update_fields=["deposit_returned_at"])
    return loan
