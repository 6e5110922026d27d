"""CCTV footage review (调阅监控): a request recorded at the desk, approved
or refused by a supervisor, the viewing recorded, a copy released to the
police against their document."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from desk.models import FootageReview, Incident, ReferenceCounter
from desk.permissions import DECIDE_FOOTAGEREVIEW, RECORD_FOOTAGEVIEWING, RELEASE_FOOTAGECOPY
from desk.services.references import reference_next
from mailroom.models import FoundItem
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall
from mallservice.validators import normalise_mobile
from mallservice.workflow import locked

# A clock a few minutes fast at the desk PC is not "in the future".
CLOCK_SKEW = datetime.timedelta(minutes=5)


@transaction.atomic
def footage_request(
    *,
    actor: Any,
    mall: Mall,
    requester_kind: str,
    requester_name: str,
    reason: str,
    reason_detail: str,
    window_from: datetime.datetime,
    window_until: datetime.datetime,
    cameras: str,
    requester_phone: str = "",
    found_item: FoundItem | None = None,
    complaint: Complaint | None = None,
    incident: Incident | None = None,
    now: datetime.datetime | None = None,
) -> FootageReview:
    """Record a request to review footage with the next JK- reference; the
    linked found item, complaint or incident must be the mall's."""
    now = now or timezone.now()
    if window_from > now + CLOCK_SKEW:
        raise field_error("window_from", _("There is no footage of the future yet."), "future")
    require_same_mall(mall, found_item, field="found_item")
    require_same_mall(mall, complaint, field="complaint")
    require_same_mall(mall, incident, field="incident")
    review = FootageReview(
        mall=mall,
        requester_kind=requester_kind,
        requester_name=requester_name.strip(),
        requester_phone=normalise_mobile(requester_phone) if requester_phone.strip() else "",
        reason=reason,
        reason_detail=reason_detail.strip(),
        window_from=window_from,
        window_until=window_until,
        cameras=cameras.strip(),
        found_item=found_item,
        complaint=complaint,
        incident=incident,
        recorded_by=actor,
        created_at=now,
    )
    review.reference = reference_next(
        mall=mall, series=ReferenceCounter.Series.FOOTAGE_REVIEW, year=local_date(now).year
    )
    review.full_clean(exclude=["found_item", "complaint", "incident"])
    review.save()
    return review


@transaction.atomic
def footage_decide(
    *,
    actor: Any,
    review: FootageReview,
    approve: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> FootageReview:
    """The supervisor's consent (客服中心同意); a refusal needs its reason."""
    if not actor.has_perm(DECIDE_FOOTAGEREVIEW):
        raise PermissionDenied
    review = locked(review)
    review.transition_to(FootageReview.Status.APPROVED if approve else FootageReview.Status.REFUSED)
    review.refusal_reason = "" if approve else reason.strip()
    review.decided_by = actor
    review.decided_at = now or timezone.now()
    review.full_clean(exclude=["found_item", "complaint", "incident"])
    review.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    return review


@transaction.atomic
def footage_viewing_record(
    *,
    actor: Any,
    review: FootageReview,
    viewers: str,
    findings: str = "",
    viewed_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> FootageReview:
    """Record who watched the approved footage, when, and what it showed;
    `actor` is the staff member who showed it."""
    if not actor.has_perm(RECORD_FOOTAGEVIEWING):
        raise PermissionDenied
    now = now or timezone.now()
    viewed_at = viewed_at or now
    review = locked(review)
    if review.status != FootageReview.Status.APPROVED:
        raise ValidationError(_("Only approved footage can be viewed."), code="not_approved")
    if viewed_at > now + CLOCK_SKEW:
        raise field_error("viewed_at", _("This time is in the future."), "future")
    if review.decided_at and viewed_at < review.decided_at - CLOCK_SKEW:
        raise field_error("viewed_at", _("The footage was viewed before it was approved."), "early")
    review.transition_to(FootageReview.Status.VIEWED)
    review.viewed_at = viewed_at
    review.viewers = viewers.strip()
    review.findings = findings.strip()
    review.viewed_with = actor
    review.full_clean(exclude=["found_item", "complaint", "incident"])
    review.save(update_fields=["status", "viewed_at", "viewers", "findings", "viewed_with"])
    return review


@transaction.atomic
def footage_copy_release(
    *,
    actor: Any,
    review: FootageReview,
    received_by: str,
    police_document_number: str,
    now: datetime.datetime | None = None,
) -> FootageReview:
    """Hand a copy to the police officer named, against their document
    (调取证据通知书) number; once, for an approved or viewed review."""
    if not actor.has_perm(RELEASE_FOOTAGECOPY):
        raise PermissionDenied
    review = locked(review)
    if review.status not in (FootageReview.Status.APPROVED, FootageReview.Status.VIEWED):
        raise ValidationError(_("Only approved footage can be copied."), code="not_approved")
    if review.copy_released_at is not None:
        raise ValidationError(_("A copy was already released."), code="already_released")
    if review.requester_kind != FootageReview.RequesterKind.POLICE:
        raise ValidationError(
            _("A copy goes only to the police, against their document number."),
            code="not_police",
        )
    received_by = received_by.strip()
    if not received_by:
        raise field_error("received_by", _("Name the officer who takes the copy."), "required")
    review.copy_released_at = now or timezone.now()
    review.copy_released_to = received_by
    review.police_document_number = police_document_number.strip()
    review.copy_released_by = actor
    review.full_clean(exclude=["found_item", "complaint", "incident"])
    review.save(
        update_fields=[
            "copy_released_at",
            "copy_released_to",
            "police_document_number",
            "copy_released_by",
        ]
    )
    return review
