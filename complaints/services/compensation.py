"""Compensation or goodwill, requested by the desk and decided by another
supervisor."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Compensation, Complaint
from complaints.services.cases import Event, case_event_record, complaint_lock, current_time
from mallservice.guards import field_error
from mallservice.models import User


@transaction.atomic
def compensation_request(
    *,
    actor: User,
    complaint: Complaint,
    kind: str,
    amount: Decimal,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Compensation:
    now = current_time(now)
    complaint = complaint_lock(complaint)
    if amount is None or amount < 0:
        raise field_error("amount", _("Enter an amount of 0 or more."), "amount")
    compensation = Compensation.objects.create(
        mall_id=complaint.mall_id,
        complaint=complaint,
        kind=Compensation.Kind(kind),
        amount=amount,
        note=note.strip(),
        requested_by=actor,
        requested_at=now,
    )
    case_event_record(
        complaint,
        Event.COMPENSATION_REQUESTED,
        actor=actor,
        now=now,
        kind=kind,
        amount=str(amount),
    )
    return compensation


@transaction.atomic
def compensation_decide(
    *,
    actor: User,
    compensation: Compensation,
    approve: bool,
    now: datetime.datetime | None = None,
) -> Compensation:
    """A supervisor approves or rejects; never the person who asked."""
    now = current_time(now)
    compensation = Compensation.objects.select_for_update().get(pk=compensation.pk)
    if compensation.requested_by_id == actor.pk:
        raise ValidationError(
            _("Another supervisor must approve compensation you requested."), code="four_eyes"
        )
    compensation.transition_to(
        Compensation.State.APPROVED if approve else Compensation.State.REJECTED
    )
    compensation.decided_by = actor
    compensation.decided_at = now
    compensation.save(update_fields=["state", "decided_by", "decided_at"])
    complaint = Complaint.objects.get(pk=compensation.complaint_id)
    case_event_record(
        complaint,
        Event.COMPENSATION_APPROVED if approve else Event.COMPENSATION_REJECTED,
        actor=actor,
        now=now,
        kind=compensation.kind,
        amount=str(compensation.amount),
    )
    return compensation
