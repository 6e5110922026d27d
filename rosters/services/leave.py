"""Leave requests (请假): filed by the staff member, signed by a supervisor
and, when long, a manager."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from mallservice.uploads import PHOTO_OR_PDF, upload_check
from rosters import permissions as perms
from rosters.models import (
    LeaveRequest,
)
from rosters.selectors.roster import policy_for
from rosters.services.rules import (
    require,
    require_permission,
    resolve_now,
)


@transaction.atomic
def leave_request_create(
    *,
    actor: User,
    mall: Mall,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str,
    sick_note: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> LeaveRequest:
    """A staff member files leave for themselves. Only sick leave may be
    filed after the fact, and only within the mall's limit."""
    now = resolve_now(now)
    today = timezone.localdate(now)
    policy = policy_for(mall)
    require(
        start_date <= end_date, _("The period ends before it starts."), "period_order", "end_date"
    )
    filed_late = start_date < today
    if filed_late:
        require(
            kind == LeaveRequest.Kind.SICK,
            _("Only sick leave can be filed after the fact."),
            "past_leave",
            "start_date",
        )
        require(
            (today - start_date).days <= policy.sick_leave_late_days,
            _("Sick leave must be filed within %(days)s days.")
            % {"days": policy.sick_leave_late_days},
            "late_filing",
            "start_date",
        )
    # Lock the person so two filings at once cannot both pass the overlap check.
    User.objects.select_for_update().get(pk=actor.pk)
    require(
        not LeaveRequest.objects.filter(
            staff=actor,
            state__in=[*LeaveRequest.OPEN_STATES, LeaveRequest.State.APPROVED],
            start_date__lte=end_date,
            end_date__gte=start_date,
        ).exists(),
        _("You already have leave in this period."),
        "overlap",
        "start_date",
    )
    leave = LeaveRequest(
        mall=mall,
        staff=actor,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        filed_late=filed_late,
        created_at=now,
    )
    leave.needs_manager = leave.days > policy.manager_approval_over_days
    if sick_note is not None:
        # A photo or a PDF by its content, stored under a random name.
        leave.sick_note = upload_check(sick_note, rule=PHOTO_OR_PDF, field="sick_note").file
    leave.full_clean()
    leave.save()
    return leave


@transaction.atomic
def leave_request_approve(
    *, actor: User, leave: LeaveRequest, note: str = "", now: datetime.datetime | None = None
) -> LeaveRequest:
    """One approval step. The supervisor signs first; leave longer than the
    mall's limit then waits for a manager. A manager signing at the first
    step signs both levels."""
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    require(actor.pk != leave.staff_id, _("You cannot approve your own leave."), "own_leave")
    if leave.state == LeaveRequest.State.AWAITING_SUPERVISOR:
        require_permission(actor, perms.APPROVE_LEAVEREQUEST)
        leave.supervisor = actor
        if leave.needs_manager and not actor.has_perm(perms.APPROVE_LEAVEREQUEST_AS_MANAGER):
            leave.transition_to(LeaveRequest.State.AWAITING_MANAGER)
        else:
            if leave.needs_manager:
                leave.manager = actor
            leave.transition_to(LeaveRequest.State.APPROVED)
    else:
        require(
            actor.has_perm(perms.APPROVE_LEAVEREQUEST_AS_MANAGER),
            _("Leave this long needs a manager."),
            "not_manager",
        )
        leave.manager = actor
        leave.transition_to(LeaveRequest.State.APPROVED)
    leave.decided_at = resolve_now(now)
    leave.decision_note = note
    leave.save(update_fields=["state", "supervisor", "manager", "decided_at", "decision_note"])
    return leave


@transaction.atomic
def leave_request_reject(
    *, actor: User, leave: LeaveRequest, note: str = "", now: datetime.datetime | None = None
) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    require_permission(actor, perms.APPROVE_LEAVEREQUEST)
    if leave.state == LeaveRequest.State.AWAITING_MANAGER:
        require(
            actor.has_perm(perms.APPROVE_LEAVEREQUEST_AS_MANAGER),
            _("Leave this long needs a manager."),
            "not_manager",
        )
    leave.transition_to(LeaveRequest.State.REJECTED)
    leave.decided_at = resolve_now(now)
    leave.decision_note = note
    leave.save(update_fields=["state", "decided_at", "decision_note"])
    return leave


@transaction.atomic
def leave_request_cancel(*, actor: User, leave: LeaveRequest) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    require(actor.pk == leave.staff_id, _("Only the person on leave can cancel."), "not_owner")
    leave.transition_to(LeaveRequest.State.CANCELLED)
    leave.save(update_fields=["state"])
    return leave
