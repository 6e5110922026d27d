"""Every write of fault reports (故障报修). A fault report is "a case with a
different intake and no customer callback" (issue 10), so these services
reuse the case machinery of the complaints desk (`complaints.services.cases`:
the reference counter, the timeline, the location and attachment checks,
the safety alert), its SLA (`complaints.sla.plan`), and the escalation
ladder and its dispatcher (`services.escalation.escalations_dispatch` serves
both).

Workflow: logged → routed to a department with a due time (assigned) → the
handler's fix recorded (fixed) → the desk confirms and closes, or sends it
back. Each service locks the row, moves it with `transition_to()`, saves
with `update_fields` and records a timeline event in one transaction."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints import sla
from complaints.models import (
    Activity,
    Complaint,
    DailyCounter,
    Department,
    DeskSettings,
    FaultReport,
    FaultRoute,
    FaultType,
    PhoneCall,
    ReporterKind,
    Severity,
)
from complaints.services.cases import (
    attachment_validate,
    case_event_record,
    case_location_check,
    case_reference_next,
    case_supervisors_alert,
    current_time,
)
from complaints.services.desk import desk_settings_get
from complaints.services.escalation import escalation_ladder_create, escalation_ladder_stop
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Floor, Mall, Unit, User

Event = Activity.Code

# The routing table a new mall starts with (`fault_routes_ensure`; admins
# change it per mall in FaultRoute), and the answer for a type without a
# row: engineering fixes most things, cleaning the toilets, security the
# doors (locks, shutters, fire doors).
DEFAULT_ROUTES: dict[str, str] = {
    FaultType.LIGHTING: Department.ENGINEERING,
    FaultType.LIFT: Department.ENGINEERING,
    FaultType.AIR_CONDITIONING: Department.ENGINEERING,
    FaultType.WATER: Department.ENGINEERING,
    FaultType.TOILETS: Department.CLEANING,
    FaultType.DOORS: Department.SECURITY,
    FaultType.SIGNAGE: Department.ENGINEERING,
    FaultType.SCREENS: Department.ENGINEERING,
    FaultType.OTHER: Department.ENGINEERING,
}


def _lock(fault: FaultReport) -> FaultReport:
    return (
        FaultReport.objects.select_for_update(of=("self",)).select_related("mall").get(pk=fault.pk)
    )


def fault_routes_ensure(*, mall: Mall) -> None:
    """Give the mall the default routing table (a row per fault type the
    mall does not route yet). Idempotent; run when a mall is created."""
    FaultRoute.objects.bulk_create(
        [
            FaultRoute(mall=mall, fault_type=kind, department=department)
            for kind, department in DEFAULT_ROUTES.items()
        ],
        ignore_conflicts=True,
    )


def fault_route(
    *, mall: Mall, fault_type: str, severity: str, start: datetime.datetime
) -> tuple[str, sla.Plan]:
    """The department and the SLA of a fault: the mall's routing row (or the
    default table) names the department; the urgency's SLA (the complaints'
    policies) applies, shortened by the row's own minutes."""
    kind = FaultType(fault_type)
    row = FaultRoute.objects.filter(mall=mall, fault_type=kind).first()
    department = row.department if row else DEFAULT_ROUTES[kind]
    minutes = row.resolution_minutes if row is not None else None
    return department, sla.plan(mall, Severity(severity), "", start, resolution_minutes=minutes)


def _repeat_count(
    *,
    desk: DeskSettings,
    mall: Mall,
    floor: Floor,
    unit: Unit | None,
    fault_type: str,
    now: datetime.datetime,
) -> tuple[int, bool]:
    """How many faults of this type at this place (the unit, else the floor
    without a unit) fall in the mall's window, this one included, and
    whether that makes it a repeat."""
    since = now - datetime.timedelta(days=desk.fault_repeat_days)
    place = {"unit": unit} if unit is not None else {"floor": floor, "unit__isnull": True}
    earlier = FaultReport.objects.filter(
        mall=mall, fault_type=fault_type, received_at__gte=since, received_at__lte=now, **place
    ).count()
    count = earlier + 1
    return count, count >= desk.fault_repeat_count


@transaction.atomic
def fault_report(
    *,
    actor: User,
    mall: Mall,
    fault_type: str,
    description: str,
    floor: Floor | None = None,
    unit: Unit | None = None,
    location_note: str = "",
    severity: str = Severity.NORMAL,
    photo: UploadedFile | None = None,
    reporter_kind: str = ReporterKind.STAFF,
    reporter_name: str = "",
    reporter_unit: Unit | None = None,
    phone_call: PhoneCall | None = None,
    complaint: Complaint | None = None,
    now: datetime.datetime | None = None,
) -> FaultReport:
    """Log a fault and route it. Side effects: a BX- reference from the
    shared counter, the department from the routing table with a due time
    on the SLA clock, the escalation rows, a "received" and an "assigned"
    event, the repeat flag, and an e-mail to the supervisors at once for a
    safety fault (as for a safety complaint)."""
    now = current_time(now)
    desk = desk_settings_get(mall=mall)
    case_location_check(mall, floor, unit)
    if unit is not None and floor is None:
        floor = unit.floor
    if floor is None:
        raise field_error("floor", _("Say where the fault is."), "place_required")
    if not description.strip():
        raise field_error("description", _("Say what is wrong."), "required")
    kind = ReporterKind(reporter_kind)
    if kind == ReporterKind.SHOP and reporter_unit is None:
        raise field_error("reporter_unit", _("Choose the shop."), "reporter_required")
    require_same_mall(mall, reporter_unit, field="reporter_unit")
    require_same_mall(mall, phone_call, complaint)
    checked = attachment_validate(photo, field="photo") if photo else None
    sev = Severity(severity)
    fault_type = FaultType(fault_type)
    department, clock = fault_route(mall=mall, fault_type=fault_type, severity=sev, start=now)
    due = clock.resolution_due_at
    repeat_count, is_repeat = _repeat_count(
        desk=desk, mall=mall, floor=floor, unit=unit, fault_type=fault_type, now=now
    )
    reference = case_reference_next(
        mall, local_date(now), desk.fault_reference_prefix, DailyCounter.Series.FAULT
    )
    fault = FaultReport(
        mall=mall,
        reference=reference,
        received_at=now,
        floor=floor,
        unit=unit,
        location_note=location_note.strip(),
        fault_type=fault_type,
        severity=sev,
        description=description.strip(),
        reporter_kind=kind,
        reporter_name=reporter_name.strip(),
        reporter_unit=reporter_unit if kind == ReporterKind.SHOP else None,
        phone_call=phone_call,
        complaint=complaint,
        handler_department=department,
        handler_due_at=due,
        resolution_due_at=due,
        repeat_count=repeat_count,
        is_repeat=is_repeat,
        created_by=actor,
    )
    if checked is not None:
        fault.photo.save(checked.file.name, checked.file, save=False)
    fault.save()
    escalation_ladder_create(fault, plan=clock)
    case_event_record(
        fault,
        Event.RECEIVED,
        actor=actor,
        now=now,
        fault_type=fault_type,
        severity=sev,
        reporter_kind=kind,
        repeat=is_repeat,
    )
    case_event_record(
        fault,
        Event.ASSIGNED,
        actor=actor,
        now=now,
        handler_kind="department",
        department=department,
        handler="",
        due_at=due.isoformat(),
    )
    if sev == Severity.SAFETY:
        with override("zh-hans"):
            subject = _("Safety fault %(ref)s") % {"ref": fault.reference}
        case_supervisors_alert(fault, subject=subject, actor=actor, now=now)
    return fault


@transaction.atomic
def fault_assign(
    *,
    actor: User,
    fault: FaultReport,
    department: str,
    due_at: datetime.datetime,
    handler_name: str = "",
    now: datetime.datetime | None = None,
) -> FaultReport:
    """Re-route a fault to another department (or a named engineer) with a
    new due time. Escalations already fired stay fired."""
    now = current_time(now)
    fault = _lock(fault)
    if due_at <= now:
        raise field_error("due_at", _("The due time must be in the future."), "due_past")
    fault.transition_to(FaultReport.State.ASSIGNED)
    fault.handler_department = Department(department)
    fault.handler_name = handler_name.strip()
    fault.handler_due_at = due_at
    fault.assignment_no += 1
    fault.save(
        update_fields=[
            "state",
            "handler_department",
            "handler_name",
            "handler_due_at",
            "assignment_no",
            "updated_at",
        ]
    )
    case_event_record(
        fault,
        Event.ASSIGNED,
        actor=actor,
        now=now,
        handler_kind="department",
        department=fault.handler_department,
        handler=fault.handler_name,
        due_at=due_at.isoformat(),
    )
    return fault


@transaction.atomic
def fault_fix_record(
    *,
    actor: User,
    fault: FaultReport,
    fix_text: str,
    handler_name: str = "",
    now: datetime.datetime | None = None,
) -> FaultReport:
    """Record the handler's fix (by the desk on the handler's word, or by
    the handler). Stops the SLA clock: pending escalations are not fired
    while the fix waits for the desk."""
    now = current_time(now)
    fault = _lock(fault)
    if not fix_text.strip():
        raise field_error("fix_text", _("Say what was done."), "required")
    fault.transition_to(FaultReport.State.FIXED)
    fault.fix_text = fix_text.strip()
    fault.fixed_at = now
    fields = ["state", "fix_text", "fixed_at", "updated_at"]
    if handler_name.strip():
        fault.handler_name = handler_name.strip()
        fields.append("handler_name")
    fault.save(update_fields=fields)
    case_event_record(
        fault, Event.FIXED, actor=actor, now=now, text=fault.fix_text, handler=fault.handler_name
    )
    return fault


@transaction.atomic
def fault_close(
    *, actor: User, fault: FaultReport, note: str = "", now: datetime.datetime | None = None
) -> FaultReport:
    """The desk checked the fix: confirm and close. No customer callback;
    escalation rungs that have not fired are dropped."""
    now = current_time(now)
    fault = _lock(fault)
    fault.transition_to(FaultReport.State.CLOSED)
    fault.closed_at = now
    fault.save(update_fields=["state", "closed_at", "updated_at"])
    escalation_ladder_stop(fault)
    case_event_record(fault, Event.CLOSED, actor=actor, now=now, text=note.strip())
    return fault


@transaction.atomic
def fault_send_back(
    *, actor: User, fault: FaultReport, reason: str, now: datetime.datetime | None = None
) -> FaultReport:
    """The desk found it not fixed: back to the same handler, the clock
    running again from the original due time (a send-back does not forgive
    lateness)."""
    now = current_time(now)
    fault = _lock(fault)
    if not reason.strip():
        raise field_error("reason", _("Say what is still wrong."), "required")
    fault.transition_to(FaultReport.State.ASSIGNED)
    fault.fixed_at = None
    fault.fix_text = ""
    fault.sent_back_count += 1
    fault.save(update_fields=["state", "fixed_at", "fix_text", "sent_back_count", "updated_at"])
    case_event_record(fault, Event.SENT_BACK, actor=actor, now=now, text=reason.strip())
    return fault


@transaction.atomic
def fault_note_add(
    *, actor: User, fault: FaultReport, text: str, now: datetime.datetime | None = None
) -> Activity:
    if not text.strip():
        raise field_error("text", _("Write something."), "required")
    fault = _lock(fault)
    return case_event_record(
        fault, Event.NOTE, actor=actor, now=current_time(now), text=text.strip()
    )


@transaction.atomic
def fault_route_set(
    *,
    actor: User,
    mall: Mall,
    fault_type: str,
    department: str,
    resolution_minutes: int | None = None,
) -> FaultRoute:
    """Set a mall's routing row for a fault type (admin and demo)."""
    route, _created = FaultRoute.objects.update_or_create(
        mall=mall,
        fault_type=FaultType(fault_type),
        defaults={
            "department": Department(department),
            "resolution_minutes": resolution_minutes or None,
        },
    )
    return route
