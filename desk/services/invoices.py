"""Invoice requests (发票申请): record at the desk, then the finance contact
issues (through the e-invoice adapter), e-mails, or refuses with a reason.
A refused request gives its receipts back."""

from __future__ import annotations

import datetime
import decimal
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.einvoice import einvoice_service
from desk.models import InvoiceReceipt, InvoiceRequest, ReferenceCounter
from desk.permissions import ISSUE_INVOICEREQUEST
from desk.services.references import reference_next
from desk.validators import normalise_taxpayer_number
from mallservice.clock import local_date
from mallservice.guards import field_error
from mallservice.models import Mall
from mallservice.workflow import locked


def receipt_numbers(text: str) -> list[str]:
    """Receipt numbers typed one per line, or separated by commas or spaces;
    upper case, each once, in the order typed."""
    numbers = [part.upper() for part in re.split(r"[\s,，;；、]+", text or "") if part]
    return list(dict.fromkeys(numbers))


def _taken(mall: Mall, numbers: list[str]) -> list[str]:
    return sorted(
        InvoiceReceipt.objects.filter(mall=mall, receipt_no__in=numbers, held=True).values_list(
            "receipt_no", flat=True
        )
    )


def _receipts_taken_error(taken: list[str]):
    return field_error(
        "receipts",
        _("Already on another invoice request: %(numbers)s.") % {"numbers": ", ".join(taken)},
        "receipt_taken",
    )


@transaction.atomic
def invoice_request(
    *,
    actor: Any,
    mall: Mall,
    title: str,
    amount: decimal.Decimal,
    email: str,
    receipts: str,
    taxpayer_number: str = "",
    now: datetime.datetime | None = None,
) -> InvoiceRequest:
    """Record a request with the next FP- reference; its receipts are held
    for it. A receipt already on a request of the mall that was not refused
    is refused (checked first for a clear message; the partial unique
    constraint decides when two desks race)."""
    now = now or timezone.now()
    numbers = receipt_numbers(receipts)
    if not numbers:
        raise field_error("receipts", _("Give the receipt numbers."), "no_receipts")
    if any(len(number) > 40 for number in numbers):
        raise field_error("receipts", _("A receipt number has at most 40 characters."), "long")
    taxpayer_number = normalise_taxpayer_number(taxpayer_number) if taxpayer_number.strip() else ""
    taken = _taken(mall, numbers)
    if taken:
        raise _receipts_taken_error(taken)
    request = InvoiceRequest(
        mall=mall,
        title=title.strip(),
        taxpayer_number=taxpayer_number,
        amount=amount,
        email=email.strip(),
        recorded_by=actor,
        created_at=now,
    )
    request.reference = reference_next(
        mall=mall, series=ReferenceCounter.Series.INVOICE, year=local_date(now).year
    )
    request.full_clean()
    request.save()
    try:
        with transaction.atomic():
            InvoiceReceipt.objects.bulk_create(
                [InvoiceReceipt(request=request, mall=mall, receipt_no=n) for n in numbers]
            )
    except IntegrityError:
        raise _receipts_taken_error(_taken(mall, numbers)) from None
    return request


def _check(actor: Any) -> None:
    if not actor.has_perm(ISSUE_INVOICEREQUEST):
        raise PermissionDenied


@transaction.atomic
def invoice_issue(
    *, actor: Any, request: InvoiceRequest, now: datetime.datetime | None = None
) -> InvoiceRequest:
    """Finance issues the invoice through the e-invoice adapter and records
    its number (the row stays locked while the adapter answers, so two
    clicks cannot issue twice)."""
    _check(actor)
    request = locked(request)
    request.transition_to(InvoiceRequest.Status.ISSUED)
    request.invoice_number = einvoice_service().issue(request=request).number
    request.decided_by = actor
    request.decided_at = now or timezone.now()
    request.save(update_fields=["status", "invoice_number", "decided_by", "decided_at"])
    return request


@transaction.atomic
def invoice_email(
    *, actor: Any, request: InvoiceRequest, now: datetime.datetime | None = None
) -> InvoiceRequest:
    """Send the issued invoice to the customer's e-mail."""
    _check(actor)
    request = locked(request)
    request.transition_to(InvoiceRequest.Status.EMAILED)
    einvoice_service().send(request=request)
    request.emailed_at = now or timezone.now()
    request.save(update_fields=["status", "emailed_at"])
    return request


@transaction.atomic
def invoice_refuse(
    *, actor: Any, request: InvoiceRequest, reason: str, now: datetime.datetime | None = None
) -> InvoiceRequest:
    """Refuse with a reason; the receipts may be asked for again."""
    _check(actor)
    request = locked(request)
    request.transition_to(InvoiceRequest.Status.REFUSED)
    request.refusal_reason = reason.strip()
    request.decided_by = actor
    request.decided_at = now or timezone.now()
    request.full_clean()
    request.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    InvoiceReceipt.objects.filter(request=request).update(held=False)
    return request
