"""The end of a complaint: the satisfaction callback (满意度回访), closing,
and reopening."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints import sla
from complaints.models import Complaint, Satisfaction, SlaState, StatusCategory
from complaints.services.cases import Event, case_event_record, complaint_lock, current_time
from complaints.services.escalation import escalation_ladder_create, escalation_ladder_stop
from complaints.services.workflow import status_category_set
from mallservice.guards import field_error
from mallservice.models import User


@transaction.atomic
def complaint_callback(
    *,
    actor: User,
    complaint: Complaint,
    satisfaction: str,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> Complaint:
    """满意度回访: the desk called the customer and records satisfaction."""
    now = current_time(now)
    complaint = complaint_lock(complaint)
    if complaint.status_category == StatusCategory.PAUSED:
        status_category_set(complaint, StatusCategory.RESOLVED, now)
    complaint.transition_to(Complaint.State.CALLED_BACK)
    complaint.satisfaction = Satisfaction(satisfaction)
    complaint.satisfaction_comment = comment.strip()
    complaint.called_back_at = now
    complaint.save(
        update_fields=[
            "state",
            "status",
            "status_category",
            "paused_since",
            "paused_minutes",
            "response_due_at",
            "resolution_due_at",
            "satisfaction",
            "satisfaction_comment",
            "called_back_at",
            "updated_at",
        ]
    )
    case_event_record(
        complaint,
        Event.CALLED_BACK,
        actor=actor,
        now=now,
        text=complaint.satisfaction_comment,
        satisfaction=complaint.satisfaction,
    )
    return complaint


@transaction.atomic
def complaint_close(
    *, actor: User, complaint: Complaint, now: datetime.datetime | None = None
) -> Complaint:
    now = current_time(now)
    complaint = complaint_lock(complaint)
    complaint.transition_to(Complaint.State.CLOSED)
    fields = status_category_set(complaint, StatusCategory.CLOSED, now)
    complaint.closed_at = now
    complaint.save(update_fields=[*fields, "state", "closed_at", "updated_at"])
    case_event_record(complaint, Event.CLOSED, actor=actor, now=now)
    return complaint


@transaction.atomic
def complaint_reopen(
    *,
    actor: User,
    complaint: Complaint,
    reason: str,
    due_at: datetime.datetime,
    now: datetime.datetime | None = None,
) -> Complaint:
    """Reopen a resolved or closed complaint: it goes back to its last
    handler with a new due time, and a new resolution period starts now.
    Side effects: the resolution due time and the escalation ladder
    (warning, breach, 2×) are set afresh in opening hours from the reopen,
    so each rung can fire once more; rungs fired before stay recorded,
    rungs of the earlier period that never fired are dropped; the SLA state
    is back on track."""
    now = current_time(now)
    complaint = complaint_lock(complaint)
    if complaint.state not in (
        Complaint.State.VERIFIED,
        Complaint.State.CALLED_BACK,
        Complaint.State.CLOSED,
    ):
        raise ValidationError(
            _("Only a resolved or closed complaint can be reopened."), code="not_closed"
        )
    if not reason.strip():
        raise field_error("reason", _("Say why it is reopened."), "required")
    if not complaint.handler_kind:
        raise ValidationError(_("Assign the complaint instead."), code="no_handler")
    if due_at <= now:
        raise field_error("due_at", _("The due time must be in the future."), "due_past")
    complaint.transition_to(Complaint.State.ASSIGNED)
    fields = status_category_set(complaint, StatusCategory.OPEN, now)
    complaint.reopen_count += 1
    complaint.resolved_at = None
    complaint.verified_at = None
    complaint.closed_at = None
    complaint.called_back_at = None
    complaint.satisfaction = ""
    complaint.satisfaction_comment = ""
    complaint.handler_due_at = due_at
    complaint.assignment_no += 1
    complaint.response_text = ""
    complaint.responded_at = None
    # A new resolution period, from the targets the complaint was received
    # with (the tier code is the intake's snapshot).
    clock = sla.plan(complaint.mall, complaint.severity, complaint.member_tier, now)
    complaint.resolution_due_at = clock.resolution_due_at
    complaint.sla_state = SlaState.ON_TRACK
    escalation_ladder_stop(complaint)
    escalation_ladder_create(complaint, plan=clock, period=complaint.reopen_count)
    complaint.save(
        update_fields=[
            *fields,
            "state",
            "reopen_count",
            "resolution_due_at",
            "sla_state",
            "resolved_at",
            "verified_at",
            "closed_at",
            "called_back_at",
            "satisfaction",
            "satisfaction_comment",
            "handler_due_at",
            "assignment_no",
            "response_text",
            "responded_at",
            "updated_at",
        ]
    )
    case_event_record(
        complaint,
        Event.REOPENED,
        actor=actor,
        now=now,
        text=reason.strip(),
        resolution_due_at=complaint.resolution_due_at.isoformat(),
    )
    return complaint
