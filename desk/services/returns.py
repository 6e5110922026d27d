"""Returns and exchanges (退换货): record the customer's case, note the
shop's answer and the desk's mediation, settle it with the shop
contact's confirmation, or turn it into a complaint."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Channel
from complaints.permissions import ADD_COMPLAINT
from complaints.services.intake import complaint_receive
from desk.models import ReferenceCounter, ReturnCase, ReturnStep
from desk.permissions import ADD_RETURNSTEP, SETTLE_RETURNCASE
from desk.services.references import reference_next
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall, Unit
from mallservice.validators import normalise_mobile
from mallservice.workflow import locked

# A clock a few minutes fast at the desk PC is not "in the future".
CLOCK_SKEW = datetime.timedelta(minutes=5)
# 七天无理由退货 (Consumer Rights Protection Law, art. 25): goods bought
# online, by phone or mail order; many shops extend it to the counter.
NO_REASON_DAYS = 7


@transaction.atomic
def return_record(
    *,
    actor: Any,
    mall: Mall,
    unit: Unit,
    customer_name: str,
    goods: str,
    reason: str,
    customer_request: str,
    customer_phone: str = "",
    receipt_number: str = "",
    purchased_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> ReturnCase:
    """Record a customer's return or exchange with the next TH- reference
    of the mall's year (the phone normalised to 11 digits)."""
    now = now or timezone.now()
    require_same_mall(mall, unit, field="unit")
    if purchased_on is not None and purchased_on > local_date(now + CLOCK_SKEW):
        raise field_error("purchased_on", _("A purchase cannot be in the future."), "future")
    case = ReturnCase(
        mall=mall,
        unit=unit,
        customer_name=customer_name.strip(),
        customer_phone=normalise_mobile(customer_phone) if customer_phone.strip() else "",
        goods=goods.strip(),
        receipt_number=receipt_number.strip(),
        purchased_on=purchased_on,
        reason=reason,
        customer_request=customer_request.strip(),
        recorded_by=actor,
        created_at=now,
    )
    case.reference = reference_next(
        mall=mall, series=ReferenceCounter.Series.RETURN_CASE, year=local_date(now).year
    )
    case.full_clean()
    case.save()
    return case


def return_days_since_purchase(
    case: ReturnCase, now: datetime.datetime | None = None
) -> int | None:
    """Days from the purchase to the case (the 7-day rule's count), or None."""
    if case.purchased_on is None:
        return None
    return (local_date(now or case.created_at) - case.purchased_on).days


@transaction.atomic
def return_step_add(
    *,
    actor: Any,
    case: ReturnCase,
    kind: str,
    note: str,
    now: datetime.datetime | None = None,
) -> ReturnStep:
    """Note the shop's answer or a step of the desk's mediation; a case
    waiting for the shop moves to "mediating"."""
    if not actor.has_perm(ADD_RETURNSTEP):
        raise PermissionDenied
    case = locked(case)
    if case.status not in ReturnCase.LIVE:
        raise field_error("note", _("This case is already closed."), "closed")
    note = note.strip()
    if not note:
        raise field_error("note", _("Write what was said or done."), "empty")
    if case.status == ReturnCase.Status.OPEN:
        case.transition_to(ReturnCase.Status.MEDIATING)
        case.save(update_fields=["status"])
    return ReturnStep.objects.create(
        case=case, mall_id=case.mall_id, kind=kind, at=now or timezone.now(), by=actor, note=note
    )


@transaction.atomic
def return_settle(
    *,
    actor: Any,
    case: ReturnCase,
    outcome: str,
    shop_contact_name: str,
    shop_confirmed_at: datetime.datetime | None = None,
    outcome_note: str = "",
    now: datetime.datetime | None = None,
) -> ReturnCase:
    """Record the outcome (refund, exchange, repair or refused) as the shop
    contact confirmed it, by name and time (now when not given)."""
    if not actor.has_perm(SETTLE_RETURNCASE):
        raise PermissionDenied
    now = now or timezone.now()
    confirmed_at = shop_confirmed_at or now
    case = locked(case)
    if confirmed_at > now + CLOCK_SKEW:
        raise field_error("shop_confirmed_at", _("This time is in the future."), "future")
    if confirmed_at < case.created_at - CLOCK_SKEW:
        raise field_error(
            "shop_confirmed_at", _("The shop cannot confirm before the case was recorded."), "early"
        )
    case.transition_to(ReturnCase.Status.SETTLED)
    case.outcome = outcome
    case.outcome_note = outcome_note.strip()
    case.shop_contact_name = shop_contact_name.strip()
    case.shop_confirmed_at = confirmed_at
    case.settled_by = actor
    case.full_clean()
    case.save(
        update_fields=[
            "status",
            "outcome",
            "outcome_note",
            "shop_contact_name",
            "shop_confirmed_at",
            "settled_by",
        ]
    )
    return case


@transaction.atomic
def return_escalate(
    *,
    actor: Any,
    case: ReturnCase,
    category: Category,
    now: datetime.datetime | None = None,
) -> ReturnCase:
    """The customer will not accept the shop's answer: the case becomes a
    complaint through the complaints desk's intake (its reference, SLA and
    acknowledgement), linked both ways on the case's page. Side effects:
    those of `complaint_receive`."""
    if not actor.has_perm(ADD_COMPLAINT):
        raise PermissionDenied
    now = now or timezone.now()
    case = locked(case)
    if category.mall_id != case.mall_id:
        raise field_error("category", _("Unknown category."), "wrong_mall")
    case.transition_to(ReturnCase.Status.ESCALATED)
    steps = [f"{step.get_kind_display()}: {step.note}" for step in case.steps.order_by("at", "pk")]
    # The complaint's text is the mall's record, in Chinese.
    with override("zh-hans"):
        head = gettext("From return/exchange %(reference)s: %(goods)s (%(reason)s).") % {
            "reference": case.reference,
            "goods": case.goods,
            "reason": case.get_reason_display(),
        }
        description = "\n".join([head, case.customer_request, *steps])
    complaint = complaint_receive(
        actor=actor,
        mall=case.mall,
        channel=Channel.DESK,
        complainant_name=case.customer_name,
        complainant_phone=case.customer_phone,
        unit=case.unit,
        category=category,
        description=description,
        now=now,
    )
    case.complaint = complaint
    case.save(update_fields=["status", "complaint"])
    return case
