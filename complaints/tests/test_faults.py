"""Fault reports (故障报修): routing, the shared SLA clock and escalation
ladder, the workflow, repeat detection and the summary figures."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pghistory.models import Events

from complaints.faults import services as fault_services
from complaints.models import (
    DeskSettings,
    Escalation,
    FaultReport,
    SlaState,
)
from complaints.services.desk import desk_config_ensure
from complaints.services.escalation import escalations_dispatch
from complaints.services.phone_log import phone_call_log
from complaints.services.reports import summary_build
from complaints.tests.factories import at, make_complaint, make_fault
from mallservice.audit import Source, actor_context
from mallservice.notifications.models import Message
from mallservice.tests.factories import FloorFactory, UnitFactory, image_upload

pytestmark = pytest.mark.django_db


def _code(exc: ValidationError) -> str:
    """The code of a service error, raised for a field or not."""
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code


def test_fault_gets_its_own_reference_series_beside_complaints(desk_user, mall, shop):
    # given a complaint already numbered today
    make_complaint(actor=desk_user, mall=mall, unit=shop)
    # when two faults are logged the same day
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        first = make_fault(actor=desk_user, mall=mall, unit=shop)
        second = make_fault(actor=desk_user, mall=mall, unit=shop, fault_type="water")
    # then they count BX-…-001, -002 on their own; the floor comes from the unit
    assert (first.reference, second.reference) == ("BX-20261127-001", "BX-20261127-002")
    assert first.floor_id == shop.floor_id
    # and the audit row names the desk
    event = Events.objects.tracks(first).order_by("pgh_id").first()
    assert event.pgh_context["user"] == desk_user.pk


@pytest.mark.parametrize(
    ("fault_type", "department"),
    [
        ("lighting", "engineering"),
        ("lift", "engineering"),
        ("toilets", "cleaning"),
        ("doors", "security"),
    ],
)
def test_fault_is_routed_by_type_from_the_default_table(
    desk_user, mall, shop, fault_type, department
):
    fault = make_fault(actor=desk_user, mall=mall, unit=shop, fault_type=fault_type)
    assert fault.handler_department == department
    assert fault.state == FaultReport.State.ASSIGNED
    assigned = fault.activities.get(code="assigned")
    assert assigned.data["department"] == department and assigned.actor == desk_user


def test_mall_routing_row_overrides_department_and_due_time(desk_user, mall, shop):
    # given the mall routes signage to marketing within 60 minutes
    fault_services.fault_route_set(
        actor=desk_user,
        mall=mall,
        fault_type="signage",
        department="marketing",
        resolution_minutes=60,
    )
    # when a signage fault is logged at 11:00
    fault = make_fault(actor=desk_user, mall=mall, unit=shop, fault_type="signage")
    # then marketing has it, due at 12:00, and the escalation ladder follows that target
    assert fault.handler_department == "marketing"
    assert fault.handler_due_at == at(27, 12) == fault.resolution_due_at
    assert fault.escalations.get(level="supervisor").due_at == at(27, 12)
    assert fault.escalations.get(level="manager").due_at == at(27, 13)


def test_safety_fault_runs_round_the_clock_and_alerts_supervisors(
    desk_user, supervisor_user, mall, shop
):
    # given the mall closes at night, when a safety fault is logged late
    supervisor_user.email = "zhang@example.com"
    supervisor_user.save()
    fault = make_fault(actor=desk_user, mall=mall, unit=shop, severity="safety", now=at(27, 23))
    # then the safety target (2 hours) runs through the night
    assert fault.resolution_due_at == at(28, 1)
    assert fault.activities.filter(code="escalated", data__safety=True).exists()
    assert Message.objects.filter(
        source=f"fault:{fault.pk}", recipient="zhang@example.com"
    ).exists()


def test_log_fix_confirm_close(fault, desk_user):
    # when the fix is recorded, then confirmed and closed
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        fault = fault_services.fault_fix_record(
            actor=desk_user, fault=fault, fix_text="更换灯管", handler_name="李工", now=at(27, 13)
        )
        assert fault.state == FaultReport.State.FIXED and fault.minutes_to_fix == 120
        fault = fault_services.fault_close(actor=desk_user, fault=fault, now=at(27, 14))
    # then it is closed, the timeline tells the story, each write attributed
    assert fault.state == FaultReport.State.CLOSED and fault.closed_at == at(27, 14)
    assert not fault.escalations.exists()  # the pending rungs are dropped
    codes = list(fault.activities.values_list("code", flat=True))
    assert codes == ["received", "assigned", "fixed", "closed"]
    last = Events.objects.tracks(fault).order_by("-pgh_id").first()
    assert last.pgh_context["user"] == desk_user.pk
    # and a closed fault cannot be fixed again
    with pytest.raises(ValidationError) as exc:
        fault_services.fault_fix_record(actor=desk_user, fault=fault, fix_text="x")
    assert _code(exc.value) == "invalid_transition"


def test_close_needs_a_recorded_fix(fault, desk_user):
    with pytest.raises(ValidationError) as exc:
        fault_services.fault_close(actor=desk_user, fault=fault)
    assert _code(exc.value) == "invalid_transition"


def test_send_back_returns_to_handler(fault, desk_user):
    fault = fault_services.fault_fix_record(
        actor=desk_user, fault=fault, fix_text="复位", now=at(27, 12)
    )
    fault = fault_services.fault_send_back(
        actor=desk_user, fault=fault, reason="还是不亮", now=at(27, 13)
    )
    assert fault.state == FaultReport.State.ASSIGNED and fault.fixed_at is None
    assert fault.sent_back_count == 1


def test_reroute_needs_a_future_due_time(fault, supervisor_user):
    with pytest.raises(ValidationError) as exc:
        fault_services.fault_assign(
            actor=supervisor_user,
            fault=fault,
            department="security",
            due_at=at(27, 10),
            now=at(27, 12),
        )
    assert _code(exc.value) == "due_past"
    fault = fault_services.fault_assign(
        actor=supervisor_user, fault=fault, department="security", due_at=at(27, 15), now=at(27, 12)
    )
    assert fault.handler_department == "security" and fault.assignment_no == 2


def test_overdue_fault_escalates_once_through_the_shared_dispatcher(
    fault, supervisor_user, desk_user, mall, shop
):
    # given an overdue fault and an overdue complaint
    supervisor_user.email = "zhang@example.com"
    supervisor_user.save()
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop)
    late = max(fault.resolution_due_at, complaint.resolution_due_at) + datetime.timedelta(days=5)
    # when the one dispatcher runs twice
    first = escalations_dispatch(now=late)
    second = escalations_dispatch(now=late + datetime.timedelta(minutes=1))
    # then each case's three rungs fired once, none again
    assert (first, second) == (6, 0)
    fault.refresh_from_db()
    assert fault.sla_state == SlaState.ESCALATED
    assert fault.activities.filter(code="escalated").count() == 2
    assert fault.activities.filter(code="sla_warning").count() == 1
    rung = fault.escalations.get(level="supervisor")
    assert supervisor_user.pk in rung.recipients and rung.fired_at == late
    message = Message.objects.get(source=f"fault:{fault.pk}", recipient="zhang@example.com")
    assert fault.reference in message.subject
    # and the complaint's own rungs are untouched by the fault's
    assert complaint.escalations.filter(fired_at=late).count() == 3


def test_fixed_fault_is_not_escalated(fault, desk_user):
    fault_services.fault_fix_record(actor=desk_user, fault=fault, fix_text="已修", now=at(27, 12))
    assert escalations_dispatch(now=at(30, 12)) == 0
    assert not Escalation.objects.filter(fired_at__isnull=False).exists()


def test_escalation_row_belongs_to_exactly_one_case(fault, desk_user, mall, shop):
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop)
    with pytest.raises(Exception):  # noqa: B017,PT011 - the check constraint
        Escalation.objects.create(
            mall=mall, complaint=complaint, fault=fault, level="warning", due_at=at(28, 10)
        )


def test_repeat_faults_at_the_same_place_are_flagged(desk_user, mall, shop, floor):
    # given a lighting fault at the shop 20 days ago
    make_fault(actor=desk_user, mall=mall, unit=shop, now=at(7, 11))
    # when another lighting fault is logged there, and a water fault
    again = make_fault(actor=desk_user, mall=mall, unit=shop, now=at(27, 11))
    other_type = make_fault(actor=desk_user, mall=mall, unit=shop, fault_type="water")
    elsewhere = make_fault(
        actor=desk_user, mall=mall, unit=UnitFactory(floor=floor, mall=mall, name="星巴克")
    )
    # then only the second lighting fault at the same shop is a repeat
    assert (again.is_repeat, again.repeat_count) == (True, 2)
    assert not other_type.is_repeat and not elsewhere.is_repeat


def test_repeat_window_and_count_are_configurable(desk_user, mall, shop):
    # given a 7-day window needing 3 faults
    desk_config_ensure(mall=mall)
    DeskSettings.objects.filter(mall=mall).update(fault_repeat_days=7, fault_repeat_count=3)
    make_fault(actor=desk_user, mall=mall, unit=shop, now=at(10, 11))  # outside the window
    make_fault(actor=desk_user, mall=mall, unit=shop, now=at(25, 11))
    second = make_fault(actor=desk_user, mall=mall, unit=shop, now=at(26, 11))
    third = make_fault(actor=desk_user, mall=mall, unit=shop, now=at(27, 11))
    assert not second.is_repeat
    assert third.is_repeat and third.repeat_count == 3


def test_public_area_fault_on_a_floor_counts_repeats_by_floor(desk_user, mall):
    floor = FloorFactory(mall=mall, code="B1", level=-1)
    make_fault(actor=desk_user, mall=mall, floor=floor, fault_type="lighting", now=at(26, 11))
    again = make_fault(actor=desk_user, mall=mall, floor=floor, fault_type="lighting")
    assert again.is_repeat


def test_fault_needs_a_place_in_its_own_mall(desk_user, mall, other_mall):
    with pytest.raises(ValidationError) as exc:
        make_fault(actor=desk_user, mall=mall)
    assert _code(exc.value) == "place_required"
    foreign = UnitFactory(floor=FloorFactory(mall=other_mall), mall=other_mall)
    with pytest.raises(ValidationError) as exc:
        make_fault(actor=desk_user, mall=mall, unit=foreign)
    assert "unit" in exc.value.error_dict


def test_fault_photo_uses_the_complaint_attachment_limits(desk_user, mall, shop):
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00rest", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        make_fault(actor=desk_user, mall=mall, unit=shop, photo=bad)
    assert _code(exc.value) == "attachment_type"
    ok = image_upload("p.png")
    fault = make_fault(actor=desk_user, mall=mall, unit=shop, photo=ok)
    assert fault.photo.name.endswith(".png")


def test_shop_reporter_must_name_the_shop(desk_user, mall, shop):
    with pytest.raises(ValidationError) as exc:
        make_fault(actor=desk_user, mall=mall, unit=shop, reporter_kind="shop")
    assert _code(exc.value) == "reporter_required"
    fault = make_fault(
        actor=desk_user, mall=mall, unit=shop, reporter_kind="shop", reporter_unit=shop
    )
    assert fault.reporter_unit == shop


def test_fault_from_a_phone_call_or_complaint_keeps_the_link(desk_user, mall, shop):
    call = phone_call_log(actor=desk_user, mall=mall, topic="other", summary="灯不亮")
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop)
    from_call = make_fault(actor=desk_user, mall=mall, unit=shop, phone_call=call)
    from_complaint = make_fault(actor=desk_user, mall=mall, unit=shop, complaint=complaint)
    assert call.faults.get() == from_call
    assert complaint.faults.get() == from_complaint


def test_daily_summary_includes_fault_figures(fault, desk_user, mall):
    fault_services.fault_fix_record(actor=desk_user, fault=fault, fix_text="已修", now=at(27, 12))
    make_fault(actor=desk_user, mall=mall, unit=fault.unit, fault_type="water")
    summary = summary_build(
        mall=mall,
        period="day",
        starts_on=at(27, 0).date(),
        ends_on=at(27, 0).date(),
        now=at(27, 18),
    )
    faults = summary.data["faults"]
    assert (faults["reported"], faults["fixed"], faults["open"]) == (2, 1, 2)
    assert faults["avg_fix_minutes"] == 60
