"""The ownership workflow: assignment to a handler, the handler's response,
admin-named statuses with the paused SLA clock, the desk's verification, a
merge of duplicates and notes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints import sla
from complaints.models import Activity, Complaint, Escalation, HandlerKind, Status, StatusCategory
from complaints.services.cases import Event, case_event_record, complaint_lock, current_time
from complaints.services.desk import status_default
from complaints.services.escalation import escalation_ladder_stop
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Unit, User


@transaction.atomic
def complaint_assign(
    *,
    actor: User,
    complaint: Complaint,
    handler_kind: str,
    due_at: datetime.datetime,
    handler_department: str = "",
    handler_unit: Unit | None = None,
    handler_name: str = "",
    now: datetime.datetime | None = None,
) -> Complaint:
    """Give the complaint to a handler with a due time (also reassigns, and
    reopens a closed complaint through `complaint_reopen`)."""
    now = current_time(now)
    complaint = complaint_lock(complaint)
    kind = HandlerKind(handler_kind)
    if kind == HandlerKind.SHOP and handler_unit is None:
        raise field_error("handler_unit", _("Choose the shop."), "handler_required")
    if kind == HandlerKind.DEPARTMENT and not handler_department:
        raise field_error("handler_department", _("Choose the department."), "handler_required")
    if kind == HandlerKind.FLOOR_SUPERVISOR and not handler_name.strip():
        raise field_error("handler_name", _("Name the floor supervisor."), "handler_required")
    require_same_mall(complaint.mall_id, handler_unit, field="handler_unit")
    if due_at <= now:
        raise field_error("due_at", _("The due time must be in the future."), "due_past")
    complaint.transition_to(Complaint.State.ASSIGNED)
    complaint.handler_kind = kind
    complaint.handler_department = handler_department if kind == HandlerKind.DEPARTMENT else ""
    complaint.handler_unit = handler_unit if kind == HandlerKind.SHOP else None
    complaint.handler_name = handler_name.strip() or (str(handler_unit) if handler_unit else "")
    complaint.handler_due_at = due_at
    complaint.assignment_no += 1
    complaint.response_text = ""
    complaint.responded_at = None
    complaint.save(
        update_fields=[
            "state",
            "handler_kind",
            "handler_department",
            "handler_unit",
            "handler_name",
            "handler_due_at",
            "assignment_no",
            "response_text",
            "responded_at",
            "updated_at",
        ]
    )
    case_event_record(
        complaint,
        Event.ASSIGNED,
        actor=actor,
        now=now,
        handler_kind=kind,
        department=complaint.handler_department,
        handler=complaint.handler_name,
        due_at=due_at.isoformat(),
    )
    return complaint


@transaction.atomic
def complaint_respond(
    *,
    actor: User,
    complaint: Complaint,
    response: str,
    assignment_no: int | None = None,
    now: datetime.datetime | None = None,
) -> Complaint:
    """Record the handler's response (by the handler through their link, or
    by the desk/supervisor on their behalf). Sets the first response time."""
    now = current_time(now)
    complaint = complaint_lock(complaint)
    if assignment_no is not None and assignment_no != complaint.assignment_no:
        raise ValidationError(
            _("This link is for an earlier assignment of the complaint."), code="stale_link"
        )
    if not response.strip():
        raise field_error("response", _("Write the response."), "required")
    complaint.transition_to(Complaint.State.RESPONDED)
    complaint.response_text = response.strip()
    complaint.responded_at = now
    fields = ["state", "response_text", "responded_at", "updated_at"]
    if complaint.first_response_at is None:
        complaint.first_response_at = now
        complaint.response_breached = now > complaint.response_due_at
        fields += ["first_response_at", "response_breached"]
    complaint.save(update_fields=fields)
    case_event_record(
        complaint, Event.RESPONDED, actor=actor, now=now, text=complaint.response_text
    )
    return complaint


def status_category_set(
    complaint: Complaint, category: str, now: datetime.datetime, status: Status | None = None
) -> list[str]:
    """Move the complaint into a status of `category`, running or stopping
    the SLA clock. Returns the fields changed."""
    was_paused = complaint.status_category == StatusCategory.PAUSED
    complaint.status = status or status_default(complaint.mall, category)
    complaint.status_category = category
    fields = ["status", "status_category"]
    if category == StatusCategory.PAUSED and not was_paused:
        complaint.paused_since = now
        fields.append("paused_since")
    elif was_paused and category != StatusCategory.PAUSED:
        _resume_clock(complaint, now)
        fields += ["paused_since", "paused_minutes", "response_due_at", "resolution_due_at"]
    return fields


def _resume_clock(complaint: Complaint, now: datetime.datetime) -> None:
    """Paused stops the SLA clock: every due time moves on by the opening
    time spent paused, pending escalations too."""
    since = complaint.paused_since or now
    clock = sla.plan(complaint.mall, complaint.severity, complaint.member_tier, now, since=since)
    complaint.paused_minutes += clock.minutes_between(since, now)

    def shift(due: datetime.datetime) -> datetime.datetime:
        return clock.shift(due, paused_at=since, resumed_at=now)

    if complaint.first_response_at is None:
        complaint.response_due_at = shift(complaint.response_due_at)
    complaint.resolution_due_at = shift(complaint.resolution_due_at)
    # The legal deadline runs in working days whatever the desk's status.
    for rung in (
        Escalation.objects.select_for_update()
        .filter(complaint=complaint, fired_at__isnull=True)
        .exclude(level=Escalation.Level.LEGAL)
    ):
        rung.due_at = shift(rung.due_at)
        rung.save(update_fields=["due_at"])
    complaint.paused_since = None


@transaction.atomic
def complaint_set_status(
    *, actor: User, complaint: Complaint, status: Status, now: datetime.datetime | None = None
) -> Complaint:
    """Choose an admin-named status within what the current step allows,
    e.g. pause while waiting for the customer (stops the SLA clock)."""
    now = current_time(now)
    complaint = complaint_lock(complaint)
    if status.mall_id != complaint.mall_id or not status.is_active:
        raise field_error("status", _("Unknown status."), "wrong_mall")
    allowed = Complaint.STATE_CATEGORIES[complaint.state]
    if status.category not in allowed or status.category in (StatusCategory.CLOSED,):
        raise field_error(
            "status",
            _("This status does not fit the complaint's current step."),
            "status_not_allowed",
        )
    if complaint.state == Complaint.State.VERIFIED and status.category == StatusCategory.OPEN:
        raise field_error(
            "status", _("Reopen the complaint to work on it again."), "status_not_allowed"
        )
    old = complaint.status.code
    fields = status_category_set(complaint, status.category, now, status=status)
    complaint.save(update_fields=[*fields, "updated_at"])
    case_event_record(
        complaint, Event.STATUS, actor=actor, now=now, old=old, new=status.code, name=status.name
    )
    return complaint


@transaction.atomic
def complaint_verify(
    *, actor: User, complaint: Complaint, note: str = "", now: datetime.datetime | None = None
) -> Complaint:
    """The desk checks the handler's response and marks it resolved (the
    SLA resolution clock stops here: rungs that have not fired are
    dropped)."""
    now = current_time(now)
    complaint = complaint_lock(complaint)
    complaint.transition_to(Complaint.State.VERIFIED)
    fields = status_category_set(complaint, StatusCategory.RESOLVED, now)
    complaint.verified_at = now
    complaint.resolved_at = now
    if complaint.first_response_at is None:  # solved at the counter
        complaint.first_response_at = now
        complaint.response_breached = now > complaint.response_due_at
        fields += ["first_response_at", "response_breached"]
    complaint.save(update_fields=[*fields, "state", "verified_at", "resolved_at", "updated_at"])
    escalation_ladder_stop(complaint)
    case_event_record(complaint, Event.VERIFIED, actor=actor, now=now, text=note.strip())
    return complaint


@transaction.atomic
def complaint_merge(
    *, actor: User, complaint: Complaint, into: Complaint, now: datetime.datetime | None = None
) -> Complaint:
    """Mark `complaint` a duplicate of `into` and close it; both timelines
    say so. Locks both rows in id order so two crossing merges cannot
    deadlock or form a cycle."""
    now = current_time(now)
    if complaint.pk == into.pk:
        raise field_error("into", _("A complaint cannot be merged into itself."), "self")
    first, second = sorted([complaint.pk, into.pk])
    locked = {
        c.pk: c
        for c in Complaint.objects.select_for_update(of=("self",))
        .select_related("mall")
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    complaint, into = locked[complaint.pk], locked[into.pk]
    require_same_mall(complaint.mall_id, into, field="into")
    if into.state == Complaint.State.MERGED:
        raise field_error("into", _("That complaint is itself a duplicate."), "target_merged")
    complaint.transition_to(Complaint.State.MERGED)
    fields = status_category_set(complaint, StatusCategory.CLOSED, now)
    complaint.merged_into = into
    complaint.closed_at = now
    complaint.save(update_fields=[*fields, "state", "merged_into", "closed_at", "updated_at"])
    escalation_ladder_stop(complaint)
    case_event_record(complaint, Event.MERGED, actor=actor, now=now, into=into.reference)
    case_event_record(into, Event.MERGED, actor=actor, now=now, duplicate=complaint.reference)
    return complaint


@transaction.atomic
def complaint_note_add(
    *,
    actor: User,
    complaint: Complaint,
    text: str,
    customer_facing: bool,
    now: datetime.datetime | None = None,
) -> Activity:
    """An internal note, or a record of what the customer was told (kept
    apart so the customer-facing record reads cleanly)."""
    if not text.strip():
        raise field_error("text", _("Write something."), "required")
    complaint = complaint_lock(complaint)
    code = Event.CUSTOMER_TOLD if customer_facing else Event.NOTE
    return case_event_record(complaint, code, actor=actor, now=current_time(now), text=text.strip())
