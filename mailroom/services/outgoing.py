"""Outgoing mail: items the departments hand in, sent in courier batches."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailroom.models import DispatchBatch, OutgoingMail
from mailroom.services.common import normalise_tracking_number
from mallservice.guards import field_error
from mallservice.models import Mall, User


@transaction.atomic
def outgoing_log(
    *,
    actor: User,
    mall: Mall,
    sender_department: str,
    addressee: str,
    carrier: str,
    cost: Decimal,
    address: str = "",
    tracking_number: str = "",
    sender_staff: User | None = None,
    now: datetime.datetime | None = None,
) -> OutgoingMail:
    """Log an item a department hands in to be sent."""
    item = OutgoingMail(
        mall=mall,
        sender_department=sender_department,
        sender_staff=sender_staff,
        addressee=addressee.strip(),
        address=address.strip(),
        carrier=carrier,
        tracking_number=normalise_tracking_number(tracking_number) if tracking_number else "",
        cost=cost,
        logged_by=actor,
        logged_at=now or timezone.now(),
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def outgoing_dispatch(
    *,
    actor: User,
    mall: Mall,
    item_ids: list[int],
    carrier: str,
    courier_name: str = "",
    now: datetime.datetime | None = None,
) -> DispatchBatch:
    """Hand a batch of waiting outgoing items to the courier."""
    now = now or timezone.now()
    if not item_ids:
        raise field_error("items", _("Tick the items the courier takes."), "none")
    items = list(
        OutgoingMail.objects.select_for_update().filter(pk__in=item_ids, mall=mall).order_by("pk")
    )
    if len(items) != len(set(item_ids)) or any(
        i.status != OutgoingMail.Status.WAITING for i in items
    ):
        raise field_error("items", _("A ticked item has already been dispatched."), "not_waiting")
    batch = DispatchBatch.objects.create(
        mall=mall,
        carrier=carrier,
        courier_name=courier_name.strip(),
        dispatched_by=actor,
        dispatched_at=now,
    )
    for item in items:
        item.transition_to(OutgoingMail.Status.DISPATCHED)
        item.batch = batch
        item.save(update_fields=["status", "batch"])
    return batch
