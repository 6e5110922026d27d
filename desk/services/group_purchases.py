"""Group purchases (团购): an enquiry, quotes, the order handed to
marketing, delivery and payment confirmed — or cancelled with a reason."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.models import GroupPurchase, GroupPurchaseQuote, ReferenceCounter
from desk.permissions import HANDLE_GROUPPURCHASE
from desk.services.references import reference_next
from mallservice.clock import local_date
from mallservice.guards import field_error
from mallservice.models import Mall
from mallservice.validators import normalise_mobile
from mallservice.workflow import locked


@transaction.atomic
def group_purchase_enquire(
    *,
    actor: Any,
    mall: Mall,
    company: str,
    contact_name: str,
    contact_phone: str,
    product: str,
    face_value: int,
    quantity: int,
    wanted_on: datetime.date,
    budget: decimal.Decimal = decimal.Decimal(0),
    note: str = "",
    now: datetime.datetime | None = None,
) -> GroupPurchase:
    """Record a company's enquiry with the next TG- reference."""
    now = now or timezone.now()
    if wanted_on < local_date(now):
        raise field_error("wanted_on", _("This date has already passed."), "past")
    purchase = GroupPurchase(
        mall=mall,
        company=company.strip(),
        contact_name=contact_name.strip(),
        contact_phone=normalise_mobile(contact_phone),
        product=product,
        face_value=face_value,
        quantity=quantity,
        budget=budget,
        wanted_on=wanted_on,
        note=note.strip(),
        recorded_by=actor,
        created_at=now,
    )
    purchase.reference = reference_next(
        mall=mall, series=ReferenceCounter.Series.GROUP_PURCHASE, year=local_date(now).year
    )
    purchase.full_clean()
    purchase.save()
    return purchase


@transaction.atomic
def group_purchase_quote(
    *,
    actor: Any,
    purchase: GroupPurchase,
    total: decimal.Decimal,
    terms: str = "",
    now: datetime.datetime | None = None,
) -> GroupPurchaseQuote:
    """Quote a price (again, if the company bargains): the latest quote is
    the one an order takes."""
    purchase = locked(purchase)
    if total <= 0:
        raise field_error("total", _("The amount must be more than zero."), "not_positive")
    purchase.transition_to(GroupPurchase.Status.QUOTED)
    purchase.quoted_total = total
    purchase.save(update_fields=["status", "quoted_total"])
    return GroupPurchaseQuote.objects.create(
        purchase=purchase,
        mall_id=purchase.mall_id,
        total=total,
        terms=terms.strip(),
        at=now or timezone.now(),
        by=actor,
    )


@transaction.atomic
def group_purchase_order(
    *, actor: Any, purchase: GroupPurchase, now: datetime.datetime | None = None
) -> GroupPurchase:
    """The company accepts the quote: the order goes to marketing."""
    purchase = locked(purchase)
    purchase.transition_to(GroupPurchase.Status.ORDERED)
    purchase.ordered_at = now or timezone.now()
    purchase.save(update_fields=["status", "ordered_at"])
    return purchase


@transaction.atomic
def group_purchase_deliver(
    *, actor: Any, purchase: GroupPurchase, now: datetime.datetime | None = None
) -> GroupPurchase:
    """Marketing confirms the cards or vouchers were delivered."""
    if not actor.has_perm(HANDLE_GROUPPURCHASE):
        raise PermissionDenied
    purchase = locked(purchase)
    purchase.transition_to(GroupPurchase.Status.DELIVERED)
    purchase.delivered_at = now or timezone.now()
    purchase.save(update_fields=["status", "delivered_at"])
    return purchase


@transaction.atomic
def group_purchase_paid(
    *, actor: Any, purchase: GroupPurchase, now: datetime.datetime | None = None
) -> GroupPurchase:
    """Marketing confirms the company paid: the purchase is complete."""
    if not actor.has_perm(HANDLE_GROUPPURCHASE):
        raise PermissionDenied
    purchase = locked(purchase)
    purchase.transition_to(GroupPurchase.Status.PAID)
    purchase.paid_at = now or timezone.now()
    purchase.save(update_fields=["status", "paid_at"])
    return purchase


@transaction.atomic
def group_purchase_cancel(
    *, actor: Any, purchase: GroupPurchase, reason: str, now: datetime.datetime | None = None
) -> GroupPurchase:
    """The company withdrew, or no price was agreed (not after delivery)."""
    purchase = locked(purchase)
    reason = reason.strip()
    if not reason:
        raise field_error("reason", _("Give the reason for cancelling."), "required")
    purchase.transition_to(GroupPurchase.Status.CANCELLED)
    purchase.cancel_reason = reason
    purchase.save(update_fields=["status", "cancel_reason"])
    return purchase
