from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mallservice.tests.factories import pdf_upload
from rosters.models import LeaveRequest
from rosters.services.leave import leave_request_approve, leave_request_create
from rosters.services.roster import roster_policy_set
from rosters.tests.conftest import acting, last_event

pytestmark = pytest.mark.django_db


def _file(actor, mall, days, start=None, kind="personal", **kwargs):
    start = start or timezone.localdate() + datetime.timedelta(days=7)
    return leave_request_create(
        actor=actor,
        mall=mall,
        kind=kind,
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        reason="家中有事",
        **kwargs,
    )


def test_short_leave_is_approved_by_the_supervisor_alone(desk_user, supervisor_user, mall):
    leave = _file(desk_user, mall, 3)
    assert not leave.needs_manager
    with acting(supervisor_user):
        leave = leave_request_approve(actor=supervisor_user, leave=leave)
    assert leave.state == LeaveRequest.State.APPROVED
    assert leave.supervisor == supervisor_user
    assert last_event(leave).pgh_context["user"] == supervisor_user.pk


def test_leave_over_three_days_also_needs_a_manager(desk_user, supervisor_user, manager_user, mall):
    leave = _file(desk_user, mall, 4)
    assert leave.needs_manager
    # when the supervisor approves, it waits for a manager
    leave = leave_request_approve(actor=supervisor_user, leave=leave)
    assert leave.state == LeaveRequest.State.AWAITING_MANAGER
    # and the supervisor cannot sign the second level
    with pytest.raises(ValidationError) as exc:
        leave_request_approve(actor=supervisor_user, leave=leave)
    assert exc.value.code == "not_manager"
    with acting(manager_user):
        leave = leave_request_approve(actor=manager_user, leave=leave)
    assert leave.state == LeaveRequest.State.APPROVED
    assert (leave.supervisor, leave.manager) == (supervisor_user, manager_user)


def test_the_threshold_is_configurable(desk_user, supervisor_user, mall):
    roster_policy_set(actor=supervisor_user, mall=mall, manager_approval_over_days=5)
    assert not _file(desk_user, mall, 5).needs_manager


def test_database_refuses_long_leave_approved_without_a_manager(desk_user, supervisor_user, mall):
    leave = _file(desk_user, mall, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaveRequest.objects.filter(pk=leave.pk).update(
            state="approved", supervisor=supervisor_user
        )


def test_staff_cannot_approve_their_own_leave(supervisor_user, mall):
    leave = _file(supervisor_user, mall, 1)
    with pytest.raises(ValidationError) as exc:
        leave_request_approve(actor=supervisor_user, leave=leave)
    assert exc.value.code == "own_leave"


def test_desk_staff_cannot_approve(desk_user, colleague, mall):
    leave = _file(colleague, mall, 1)
    with pytest.raises(ValidationError) as exc:
        leave_request_approve(actor=desk_user, leave=leave)
    assert exc.value.code == "not_supervisor"


def test_sick_leave_may_be_filed_after_the_fact_within_the_limit(desk_user, mall):
    today = timezone.localdate()
    leave = _file(
        desk_user,
        mall,
        1,
        start=today - datetime.timedelta(days=2),
        kind="sick",
        sick_note=pdf_upload(),
    )
    assert leave.filed_late and leave.sick_note
    with pytest.raises(ValidationError) as exc:
        _file(desk_user, mall, 1, start=today - datetime.timedelta(days=5), kind="sick")
    assert exc.value.error_dict["start_date"][0].code == "late_filing"


def test_only_sick_leave_can_be_filed_in_the_past(desk_user, mall):
    with pytest.raises(ValidationError) as exc:
        _file(desk_user, mall, 1, start=timezone.localdate() - datetime.timedelta(days=1))
    assert exc.value.error_dict["start_date"][0].code == "past_leave"


def test_overlapping_leave_is_refused(desk_user, mall):
    _file(desk_user, mall, 3)
    with pytest.raises(ValidationError) as exc:
        _file(desk_user, mall, 1, start=timezone.localdate() + datetime.timedelta(days=8))
    assert exc.value.error_dict["start_date"][0].code == "overlap"
