"""Every write of the complaints desk. Views, admin, tasks and the demo call
these functions and nothing else saves a complaint.

Each workflow service locks the complaint (`select_for_update`), moves it with
`transition_to()`, saves with `update_fields` and records a timeline event in
the same transaction. Services take an optional `now` so SLA arithmetic is
testable at fixed times."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints import sla
from complaints.models import (
    ALLOWED_ATTACHMENT_TYPES,
    DEFAULT_CATEGORIES,
    MAX_ATTACHMENT_BYTES,
    Activity,
    Attachment,
    Category,
    Compensation,
    Complaint,
    DailyCounter,
    DeskSettings,
    Escalation,
    FaultReport,
    HandlerKind,
    OutboxMessage,
    PhoneCall,
    Satisfaction,
    Severity,
    SlaPolicy,
    SlaState,
    Status,
    StatusCategory,
    Summary,
)
from complaints.outbox import send_email, sms_backend
from mallservice.models import Floor, Mall, Unit, User
from mallservice.roles import Role
from mallservice.validators import normalise_mobile
from members.models import Member

Event = Activity.Code


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


# -- configuration -----------------------------------------------------------

DEFAULT_STATUSES = [
    # code, staff name, customer label, category, default
    ("open", "处理中", "处理中", StatusCategory.OPEN, True),
    ("waiting_customer", "等待顾客", "等待您的回复", StatusCategory.PAUSED, True),
    ("waiting_third_party", "等待第三方", "处理中", StatusCategory.PAUSED, False),
    ("resolved", "已解决", "已解决", StatusCategory.RESOLVED, True),
    ("closed", "已结案", "已结案", StatusCategory.CLOSED, True),
]


def desk_config_ensure(*, mall: Mall) -> DeskSettings:
    """Create the mall's default categories, statuses and settings if they
    are missing (idempotent; admins rename or add to them afterwards)."""
    desk, _created = DeskSettings.objects.get_or_create(mall=mall)
    if not Category.objects.filter(mall=mall).exists():
        with override("zh-hans"):
            Category.objects.bulk_create(
                [
                    Category(mall=mall, code=code, name=str(name), sort_order=i)
                    for i, (code, name) in enumerate(DEFAULT_CATEGORIES)
                ],
                ignore_conflicts=True,
            )
    if not Status.objects.filter(mall=mall).exists():
        Status.objects.bulk_create(
            [
                Status(mall=mall, code=c, name=n, customer_label=cl, category=cat, is_default=d)
                for c, n, cl, cat, d in DEFAULT_STATUSES
            ],
            ignore_conflicts=True,
        )
    return desk


def _default_status(mall: Mall, category: str) -> Status:
    status = Status.objects.filter(mall=mall, category=category, is_default=True).first()
    if status is None:
        desk_config_ensure(mall=mall)
        status = Status.objects.filter(mall=mall, category=category, is_default=True).first()
    if status is None:  # an admin removed the default: fall back to any of the category
        status = Status.objects.filter(mall=mall, category=category).order_by("pk").first()
    if status is None:
        raise ValidationError(_("No status of this category is configured."), code="no_status")
    return status


def opening_hours(mall: Mall, severity: str) -> sla.OpeningHours:
    # Safety is handled at once: its clock runs round the clock.
    if severity == Severity.SAFETY:
        return sla.OpeningHours.round_the_clock()
    return sla.OpeningHours(opens_at=mall.opens_at, closes_at=mall.closes_at)


def targets(mall: Mall, severity: str, tier: str) -> sla.Targets:
    overrides = {
        (p.severity, p.tier): sla.Targets(
            p.response_minutes, p.resolution_minutes, p.warn_before_minutes
        )
        for p in SlaPolicy.objects.filter(mall=mall, severity=severity)
    }
    return sla.targets_for(severity, tier, overrides=overrides)


def _event(
    case: Complaint | FaultReport,
    code: str,
    *,
    actor: User | None,
    now: datetime.datetime,
    text: str = "",
    **data: Any,
) -> Activity:
    """One timeline row of a case: a complaint or a fault report."""
    owner = {"fault": case} if isinstance(case, FaultReport) else {"complaint": case}
    return Activity.objects.create(
        mall_id=case.mall_id,
        **owner,
        at=now,
        code=code,
        actor=actor,
        text=text,
        data=data,
    )


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("mall").get(pk=complaint.pk)


# -- intake ------------------------------------------------------------------


def _next_reference(
    mall: Mall, day: datetime.date, prefix: str, series: str = DailyCounter.Series.COMPLAINT
) -> str:
    """TS-20261127-003: per mall per series per day (fault reports count
    BX-… on their own). The counter row is created if missing (ON CONFLICT
    DO NOTHING) and then locked, so concurrent intakes queue on it and each
    gets its own number."""
    DailyCounter.objects.bulk_create(
        [DailyCounter(mall=mall, series=series, day=day, last_number=0)], ignore_conflicts=True
    )
    counter = DailyCounter.objects.select_for_update().get(mall=mall, series=series, day=day)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"{prefix}-{day:%Y%m%d}-{counter.last_number:03d}"


def _check_location(mall: Mall, floor: Floor | None, unit: Unit | None) -> None:
    if floor is not None and floor.mall_id != mall.pk:
        raise ValidationError({"floor": _("This floor is in another mall.")}, code="wrong_mall")
    if unit is not None:
        if unit.mall_id != mall.pk:
            raise ValidationError({"unit": _("This place is in another mall.")}, code="wrong_mall")
        if floor is not None and unit.floor_id != floor.pk:
            raise ValidationError(
                {"unit": _("This place is not on the chosen floor.")}, code="wrong_floor"
            )


def attachment_validate(upload: UploadedFile) -> str:
    """The upload's content type, or ValidationError: only photos and PDF,
    at most 5 MB. The first bytes are checked, not only the name."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("A file may be at most 5 MB."), code="attachment_too_large")
    head = upload.read(12)
    upload.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "image/webp"
    elif head.startswith(b"%PDF"):
        kind = "application/pdf"
    else:
        kind = ""
    if kind not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            _("Only photos (JPEG, PNG, WebP) and PDF files can be attached."),
            code="attachment_type",
        )
    return kind


@transaction.atomic
def complaint_receive(
    *,
    actor: User,
    mall: Mall,
    channel: str,
    complainant_name: str = "",
    complainant_phone: str = "",
    member: Member | None = None,
    member_tier: str = "",
    floor: Floor | None = None,
    unit: Unit | None = None,
    category: Category,
    description: str,
    remedy_requested: str = "",
    severity: str = Severity.NORMAL,
    attachments: list[UploadedFile] | None = None,
    phone_call: PhoneCall | None = None,
    now: datetime.datetime | None = None,
) -> Complaint:
    """Record a complaint and give it a reference number. Side effects: SLA
    due times and escalation rows, a "received" event, an SMS
    acknowledgement in the outbox when there is a phone number, the phone
    call linked when it came from the phone log.

    With a `member` the complaint is linked to them and the tier code is the
    member's (a typed `member_tier` is ignored); the member's name and phone
    fill the complainant's when those are left empty."""
    now = _now(now)
    desk = desk_config_ensure(mall=mall)
    if category.mall_id != mall.pk:
        raise ValidationError({"category": _("Unknown category.")}, code="wrong_mall")
    _check_location(mall, floor, unit)
    if unit is not None and floor is None:
        floor = unit.floor
    if member is not None:
        # Re-read: the member may have been merged since the desk found them.
        member = Member.objects.select_related("tier").get(pk=member.pk)
        if member.mall_id != mall.pk or member.status != Member.Status.ACTIVE:
            raise ValidationError(
                {"member": _("This member cannot be linked to a complaint of this mall.")},
                code="wrong_member",
            )
        tier = member.tier.code if member.tier else ""
        complainant_name = complainant_name.strip() or member.name
        complainant_phone = complainant_phone or member.phone
    else:
        tier = (member_tier or "").strip().lower()
    if not complainant_name.strip():
        raise ValidationError(
            {"complainant_name": _("Enter the complainant's name or find the member.")},
            code="required",
        )
    phone = normalise_mobile(complainant_phone) if complainant_phone else ""
    for upload in attachments or []:
        attachment_validate(upload)
    local_day = timezone.localtime(now).date()
    sev = Severity(severity)
    hours = opening_hours(mall, sev)
    goal = targets(mall, sev, tier)
    complaint = Complaint(
        mall=mall,
        reference=_next_reference(mall, local_day, desk.reference_prefix),
        received_at=now,
        channel=channel,
        complainant_name=complainant_name.strip(),
        complainant_phone=phone,
        member=member,
        member_tier=tier,
        floor=floor,
        unit=unit,
        category=category,
        description=description.strip(),
        remedy_requested=remedy_requested.strip(),
        severity=sev,
        status=_default_status(mall, StatusCategory.OPEN),
        status_category=StatusCategory.OPEN,
        response_due_at=sla.add_business_minutes(now, goal.response_minutes, hours),
        resolution_due_at=sla.add_business_minutes(now, goal.resolution_minutes, hours),
        created_by=actor,
    )
    complaint.full_clean(
        exclude=["status", "category", "created_by", "floor", "unit", "mall", "member"]
    )
    complaint.save()
    plan = sla.escalation_plan(start=now, targets=goal, hours=hours)
    Escalation.objects.bulk_create(
        [
            Escalation(mall=mall, complaint=complaint, level=level, due_at=due)
            for level, due in plan.items()
        ]
    )
    _event(complaint, Event.RECEIVED, actor=actor, now=now, channel=channel, severity=sev)
    for upload in attachments or []:
        _attachment_save(complaint, upload, actor=actor, now=now)
    if phone_call is not None:
        call = PhoneCall.objects.select_for_update().get(pk=phone_call.pk)
        if call.complaint_id is not None:
            raise ValidationError(_("This call is already a complaint."), code="call_used")
        if call.mall_id != mall.pk:
            raise ValidationError(_("This call belongs to another mall."), code="wrong_mall")
        call.complaint = complaint
        call.save(update_fields=["complaint"])
    if phone:
        _sms_acknowledge(complaint, actor=actor, now=now)
    if sev == Severity.SAFETY:
        with override("zh-hans"):
            subject = _("Safety complaint %(ref)s") % {"ref": complaint.reference}
        _alert_supervisors_now(complaint, subject=subject, actor=actor, now=now)
    # The outbox is sent by the beat dispatcher (every minute), not a task
    # per intake: bulk intake (demo, imports) must not flood the broker.
    return complaint


def complaints_member_move(*, absorbed: Member, survivor: Member) -> int:
    """Members merge: the duplicate's complaints now name the survivor, so
    the member page keeps every complaint. The tier code recorded at intake
    stays (the SLA was set with it). Called inside the merge's transaction,
    with both members locked; returns how many complaints moved."""
    complaints = list(Complaint.objects.select_for_update().filter(member=absorbed).order_by("pk"))
    for complaint in complaints:
        complaint.member = survivor
        complaint.save(update_fields=["member"])
    return len(complaints)


def _alert_supervisors_now(
    case: Complaint | FaultReport, *, subject: str, actor: User, now: datetime.datetime
) -> None:
    """Safety "is handled at once": the supervisors hear of a safety case
    (a complaint or a fault report) on intake, not at the first breach.
    `subject` is already in Chinese: the e-mail goes to the mall's staff."""
    recipients = _staff_emails(case.mall_id, Role.SUPERVISOR)
    emails = [email for _pk, email in recipients if email]
    if emails:
        OutboxMessage.objects.create(
            mall_id=case.mall_id,
            **{"fault" if isinstance(case, FaultReport) else "complaint": case},
            channel=OutboxMessage.Channel.EMAIL,
            to=",".join(emails),
            subject=subject,
            body=case.description[:500],
        )
    _event(
        case,
        Event.ESCALATED,
        actor=actor,
        now=now,
        level=Escalation.Level.SUPERVISOR,
        safety=True,
        recipients=[pk for pk, _email in recipients],
    )


def _sms_acknowledge(complaint: Complaint, *, actor: User, now: datetime.datetime) -> None:
    # The customer's text is always Chinese, whatever the desk's language.
    with override("zh-hans"):
        body = _(
            "[%(mall)s] Your complaint was received, reference %(ref)s. We will handle it "
            "and call you back. Questions: %(phone)s."
        ) % {"mall": complaint.mall.name, "ref": complaint.reference, "phone": complaint.mall.phone}
    OutboxMessage.objects.create(
        mall_id=complaint.mall_id,
        complaint=complaint,
        channel=OutboxMessage.Channel.SMS,
        to=complaint.complainant_phone,
        body=body,
    )
    _event(complaint, Event.SMS, actor=actor, now=now)


def _attachment_save(
    complaint: Complaint, upload: UploadedFile, *, actor: User, now: datetime.datetime
) -> Attachment:
    kind = attachment_validate(upload)
    attachment = Attachment(
        mall_id=complaint.mall_id,
        complaint=complaint,
        original_name=upload.name[:200],
        content_type=kind,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(
        f"{complaint.reference}{ALLOWED_ATTACHMENT_TYPES[kind]}", upload, save=False
    )
    attachment.save()
    _event(complaint, Event.ATTACHMENT, actor=actor, now=now, name=attachment.original_name)
    return attachment


@transaction.atomic
def attachment_add(
    *, actor: User, complaint: Complaint, upload: UploadedFile, now: datetime.datetime | None = None
) -> Attachment:
    complaint = _lock(complaint)
    return _attachment_save(complaint, upload, actor=actor, now=_now(now))


# -- ownership workflow ------------------------------------------------------


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
    now = _now(now)
    complaint = _lock(complaint)
    kind = HandlerKind(handler_kind)
    if kind == HandlerKind.SHOP and handler_unit is None:
        raise ValidationError({"handler_unit": _("Choose the shop.")}, code="handler_required")
    if kind == HandlerKind.DEPARTMENT and not handler_department:
        raise ValidationError(
            {"handler_department": _("Choose the department.")}, code="handler_required"
        )
    if kind == HandlerKind.FLOOR_SUPERVISOR and not handler_name.strip():
        raise ValidationError(
            {"handler_name": _("Name the floor supervisor.")}, code="handler_required"
        )
    if handler_unit is not None and handler_unit.mall_id != complaint.mall_id:
        raise ValidationError(
            {"handler_unit": _("This shop is in another mall.")}, code="wrong_mall"
        )
    if due_at <= now:
        raise ValidationError({"due_at": _("The due time must be in the future.")}, code="due_past")
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
    _event(
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
    now = _now(now)
    complaint = _lock(complaint)
    if assignment_no is not None and assignment_no != complaint.assignment_no:
        raise ValidationError(
            _("This link is for an earlier assignment of the complaint."), code="stale_link"
        )
    if not response.strip():
        raise ValidationError({"response": _("Write the response.")}, code="required")
    complaint.transition_to(Complaint.State.RESPONDED)
    complaint.response_text = response.strip()
    complaint.responded_at = now
    fields = ["state", "response_text", "responded_at", "updated_at"]
    if complaint.first_response_at is None:
        complaint.first_response_at = now
        complaint.response_breached = now > complaint.response_due_at
        fields += ["first_response_at", "response_breached"]
    complaint.save(update_fields=fields)
    _event(complaint, Event.RESPONDED, actor=actor, now=now, text=complaint.response_text)
    return complaint


def _set_category(
    complaint: Complaint, category: str, now: datetime.datetime, status: Status | None = None
) -> list[str]:
    """Move the complaint into a status of `category`, running or stopping
    the SLA clock. Returns the fields changed."""
    was_paused = complaint.status_category == StatusCategory.PAUSED
    complaint.status = status or _default_status(complaint.mall, category)
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
    hours = opening_hours(complaint.mall, complaint.severity)
    since = complaint.paused_since or now
    complaint.paused_minutes += sla.business_minutes_between(since, now, hours)

    def shift(due: datetime.datetime) -> datetime.datetime:
        return sla.shift_after_pause(due, paused_at=since, resumed_at=now, hours=hours)

    if complaint.first_response_at is None:
        complaint.response_due_at = shift(complaint.response_due_at)
    complaint.resolution_due_at = shift(complaint.resolution_due_at)
    for rung in Escalation.objects.select_for_update().filter(
        complaint=complaint, fired_at__isnull=True
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
    now = _now(now)
    complaint = _lock(complaint)
    if status.mall_id != complaint.mall_id or not status.is_active:
        raise ValidationError({"status": _("Unknown status.")}, code="wrong_mall")
    allowed = Complaint.STATE_CATEGORIES[complaint.state]
    if status.category not in allowed or status.category in (StatusCategory.CLOSED,):
        raise ValidationError(
            {"status": _("This status does not fit the complaint's current step.")},
            code="status_not_allowed",
        )
    if complaint.state == Complaint.State.VERIFIED and status.category == StatusCategory.OPEN:
        raise ValidationError(
            {"status": _("Reopen the complaint to work on it again.")}, code="status_not_allowed"
        )
    old = complaint.status.code
    fields = _set_category(complaint, status.category, now, status=status)
    complaint.save(update_fields=[*fields, "updated_at"])
    _event(
        complaint, Event.STATUS, actor=actor, now=now, old=old, new=status.code, name=status.name
    )
    return complaint


@transaction.atomic
def complaint_verify(
    *, actor: User, complaint: Complaint, note: str = "", now: datetime.datetime | None = None
) -> Complaint:
    """The desk checks the handler's response and marks it resolved (the
    SLA resolution clock stops here)."""
    now = _now(now)
    complaint = _lock(complaint)
    complaint.transition_to(Complaint.State.VERIFIED)
    fields = _set_category(complaint, StatusCategory.RESOLVED, now)
    complaint.verified_at = now
    complaint.resolved_at = now
    if complaint.first_response_at is None:  # solved at the counter
        complaint.first_response_at = now
        complaint.response_breached = now > complaint.response_due_at
        fields += ["first_response_at", "response_breached"]
    complaint.save(update_fields=[*fields, "state", "verified_at", "resolved_at", "updated_at"])
    _event(complaint, Event.VERIFIED, actor=actor, now=now, text=note.strip())
    return complaint


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
    now = _now(now)
    complaint = _lock(complaint)
    if complaint.status_category == StatusCategory.PAUSED:
        _set_category(complaint, StatusCategory.RESOLVED, now)
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
    _event(
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
    now = _now(now)
    complaint = _lock(complaint)
    complaint.transition_to(Complaint.State.CLOSED)
    fields = _set_category(complaint, StatusCategory.CLOSED, now)
    complaint.closed_at = now
    complaint.save(update_fields=[*fields, "state", "closed_at", "updated_at"])
    _event(complaint, Event.CLOSED, actor=actor, now=now)
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
    handler with a new due time. Escalations already fired stay fired."""
    now = _now(now)
    complaint = _lock(complaint)
    if complaint.state not in (
        Complaint.State.VERIFIED,
        Complaint.State.CALLED_BACK,
        Complaint.State.CLOSED,
    ):
        raise ValidationError(
            _("Only a resolved or closed complaint can be reopened."), code="not_closed"
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is reopened.")}, code="required")
    if not complaint.handler_kind:
        raise ValidationError(_("Assign the complaint instead."), code="no_handler")
    if due_at <= now:
        raise ValidationError({"due_at": _("The due time must be in the future.")}, code="due_past")
    complaint.transition_to(Complaint.State.ASSIGNED)
    fields = _set_category(complaint, StatusCategory.OPEN, now)
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
    complaint.save(
        update_fields=[
            *fields,
            "state",
            "reopen_count",
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
    _event(complaint, Event.REOPENED, actor=actor, now=now, text=reason.strip())
    return complaint


@transaction.atomic
def complaint_merge(
    *, actor: User, complaint: Complaint, into: Complaint, now: datetime.datetime | None = None
) -> Complaint:
    """Mark `complaint` a duplicate of `into` and close it; both timelines
    say so. Locks both rows in id order so two crossing merges cannot
    deadlock or form a cycle."""
    now = _now(now)
    if complaint.pk == into.pk:
        raise ValidationError({"into": _("A complaint cannot be merged into itself.")}, code="self")
    first, second = sorted([complaint.pk, into.pk])
    locked = {
        c.pk: c
        for c in Complaint.objects.select_for_update()
        .select_related("mall")
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    complaint, into = locked[complaint.pk], locked[into.pk]
    if into.mall_id != complaint.mall_id:
        raise ValidationError({"into": _("That complaint is in another mall.")}, code="wrong_mall")
    if into.state == Complaint.State.MERGED:
        raise ValidationError(
            {"into": _("That complaint is itself a duplicate.")}, code="target_merged"
        )
    complaint.transition_to(Complaint.State.MERGED)
    fields = _set_category(complaint, StatusCategory.CLOSED, now)
    complaint.merged_into = into
    complaint.closed_at = now
    complaint.save(update_fields=[*fields, "state", "merged_into", "closed_at", "updated_at"])
    _event(complaint, Event.MERGED, actor=actor, now=now, into=into.reference)
    _event(into, Event.MERGED, actor=actor, now=now, duplicate=complaint.reference)
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
        raise ValidationError({"text": _("Write something.")}, code="required")
    complaint = _lock(complaint)
    code = Event.CUSTOMER_TOLD if customer_facing else Event.NOTE
    return _event(complaint, code, actor=actor, now=_now(now), text=text.strip())


# -- compensation ------------------------------------------------------------


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
    now = _now(now)
    complaint = _lock(complaint)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Enter an amount of 0 or more.")}, code="amount")
    compensation = Compensation.objects.create(
        mall_id=complaint.mall_id,
        complaint=complaint,
        kind=Compensation.Kind(kind),
        amount=amount,
        note=note.strip(),
        requested_by=actor,
        requested_at=now,
    )
    _event(
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
    now = _now(now)
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
    _event(
        complaint,
        Event.COMPENSATION_APPROVED if approve else Event.COMPENSATION_REJECTED,
        actor=actor,
        now=now,
        kind=compensation.kind,
        amount=str(compensation.amount),
    )
    return compensation


# -- escalation --------------------------------------------------------------

LEVEL_SLA_STATE = {
    Escalation.Level.WARNING: SlaState.WARNED,
    Escalation.Level.SUPERVISOR: SlaState.BREACHED,
    Escalation.Level.MANAGER: SlaState.ESCALATED,
}
SLA_ORDER = [SlaState.ON_TRACK, SlaState.WARNED, SlaState.BREACHED, SlaState.ESCALATED]


def _staff_emails(mall_id: int, role: str) -> list[tuple[int, str]]:
    group = Group.objects.filter(name=role).first()
    if group is None:
        return []
    users = User.objects.filter(groups=group, is_active=True).filter(
        Q(mall_id=mall_id) | Q(extra_malls=mall_id) | Q(all_malls=True)
    )
    return sorted({(u.pk, u.email) for u in users})


def escalations_dispatch(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Claim the due rungs of the escalation ladder and fire each once:
    warning → the handler (and desk), breach → supervisors, 2× → managers.
    Serves complaints and fault reports alike. Paused, resolved and closed
    complaints, and faults whose fix is recorded or closed, are skipped
    (their rungs wait or are never fired). Returns how many fired."""
    now = _now(now)
    fired = 0
    with transaction.atomic():
        # skip_locked: a second dispatcher running at once takes other rows.
        rungs = list(
            Escalation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(fired_at__isnull=True, due_at__lte=now)
            .filter(
                Q(complaint__status_category=StatusCategory.OPEN)
                | Q(fault__state=FaultReport.State.ASSIGNED)
            )
            .select_related("complaint", "complaint__mall", "fault", "fault__mall")
            .order_by("due_at")[:limit]
        )
        for rung in rungs:
            complaint: Complaint | FaultReport = rung.complaint or rung.fault
            role = {
                Escalation.Level.SUPERVISOR: Role.SUPERVISOR,
                Escalation.Level.MANAGER: Role.MANAGER,
            }.get(rung.level, Role.DESK)
            recipients = _staff_emails(complaint.mall_id, role)
            rung.fired_at = now
            rung.recipients = [pk for pk, _email in recipients]
            rung.save(update_fields=["fired_at", "recipients"])
            new_state = LEVEL_SLA_STATE[rung.level]
            type(complaint).objects.filter(
                pk=complaint.pk, sla_state__in=SLA_ORDER[: SLA_ORDER.index(new_state)]
            ).update(sla_state=new_state)
            code = Event.SLA_WARNING if rung.level == Escalation.Level.WARNING else Event.ESCALATED
            _event(
                complaint,
                code,
                actor=None,
                now=now,
                level=rung.level,
                handler=complaint.handler_name,
                recipients=rung.recipients,
            )
            emails = [email for _pk, email in recipients if email]
            if emails:
                with override("zh-hans"):
                    subject = (
                        _("Fault report %(ref)s: %(level)s")
                        if rung.fault_id
                        else _("Complaint %(ref)s: %(level)s")
                    ) % {
                        "ref": complaint.reference,
                        "level": Escalation.Level(rung.level).label,
                    }
                OutboxMessage.objects.create(
                    mall_id=complaint.mall_id,
                    complaint=rung.complaint,
                    fault=rung.fault,
                    channel=OutboxMessage.Channel.EMAIL,
                    to=",".join(emails),
                    subject=subject,
                    body=f"{complaint.reference}\n{complaint.description[:500]}",
                )
            fired += 1
        # The response target: flag it once it passes without a response.
        Complaint.objects.filter(
            status_category=StatusCategory.OPEN,
            first_response_at__isnull=True,
            response_breached=False,
            response_due_at__lte=now,
        ).update(response_breached=True)
    return fired


def outbox_dispatch(*, now: datetime.datetime | None = None, limit: int = 100) -> int:
    """Send pending outbox messages through their backend, each once."""
    now = _now(now)
    done = 0
    backend = sms_backend()
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxMessage.State.PENDING)
            .order_by("created_at")[:limit]
        )
        for message in messages:
            try:
                if message.channel == OutboxMessage.Channel.SMS:
                    sent = backend.send(message)
                    message.backend = backend.name
                    records_only = getattr(backend, "records_only", False)
                    message.state = (
                        OutboxMessage.State.SENT
                        if sent
                        else OutboxMessage.State.RECORDED
                        if records_only
                        else OutboxMessage.State.FAILED
                    )
                else:
                    message.backend = "django-mail"
                    message.state = (
                        OutboxMessage.State.SENT
                        if send_email(message)
                        else OutboxMessage.State.FAILED
                    )
            except Exception:  # noqa: BLE001 - a carrier error must not stop the others
                message.state = OutboxMessage.State.FAILED
            message.processed_at = now
            message.save(update_fields=["state", "backend", "processed_at"])
            done += 1
    return done


# -- phone log ---------------------------------------------------------------


@transaction.atomic
def phone_call_log(
    *,
    actor: User,
    mall: Mall,
    topic: str,
    direction: str = PhoneCall.Direction.INBOUND,
    caller_name: str = "",
    phone: str = "",
    summary: str = "",
    outcome: str = "",
    now: datetime.datetime | None = None,
) -> PhoneCall:
    """电话接待记录: log one call in a few seconds."""
    number = phone.strip()
    if number:
        try:
            number = normalise_mobile(number)
        except ValidationError:
            # Landlines are fine too; keep digits only.
            number = "".join(ch for ch in number if ch.isdigit() or ch == "-")[:20]
    call = PhoneCall(
        mall=mall,
        at=_now(now),
        direction=PhoneCall.Direction(direction),
        caller_name=caller_name.strip(),
        phone=number,
        topic=PhoneCall.Topic(topic),
        summary=summary.strip(),
        outcome=outcome.strip(),
        handled_by=actor,
    )
    call.save()
    return call


# -- summaries ---------------------------------------------------------------


def _bounds(
    starts_on: datetime.date, ends_on: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(starts_on, datetime.time(0), tz)
    end = datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time(0), tz)
    return start, end


def summary_figures(
    *, mall: Mall, starts_on: datetime.date, ends_on: datetime.date, now: datetime.datetime
) -> dict[str, Any]:
    """The figures of a summary, as plain JSON (codes, not labels)."""
    start, end = _bounds(starts_on, ends_on)
    end = min(end, now)
    base = Complaint.objects.filter(mall=mall)
    received = base.filter(received_at__gte=start, received_at__lt=end)
    resolved = base.filter(resolved_at__gte=start, resolved_at__lt=end)
    live = base.live().filter(received_at__lt=end)
    avg = resolved.aggregate(avg=Avg(F("resolved_at") - F("received_at")))["avg"]
    calls = PhoneCall.objects.filter(mall=mall, at__gte=start, at__lt=end)

    def counts(qs, field: str) -> list[list[Any]]:
        return [
            [row[field] or "", row["n"]]
            for row in qs.values(field).annotate(n=Count("pk")).order_by("-n", field)
        ]

    return {
        "received": received.count(),
        "resolved": resolved.count(),
        "open": live.count(),
        "overdue": live.filter(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED]).count(),
        "by_category": counts(received, "category__name"),
        "by_floor": counts(received.filter(floor__isnull=False), "floor__code"),
        "by_shop": counts(received.filter(unit__kind=Unit.Kind.SHOP), "unit__name")[:10],
        "avg_resolve_minutes": round(avg.total_seconds() / 60) if avg else None,
        "satisfaction": dict(
            base.filter(called_back_at__gte=start, called_back_at__lt=end)
            .values_list("satisfaction")
            .annotate(n=Count("pk"))
        ),
        "calls": calls.count(),
        "calls_by_topic": counts(calls, "topic"),
        "faults": _fault_figures(mall=mall, start=start, end=end),
    }


def _fault_figures(
    *, mall: Mall, start: datetime.datetime, end: datetime.datetime
) -> dict[str, Any]:
    """Fault reports (故障报修) of the period, for the same summary: three
    aggregate queries."""
    base = FaultReport.objects.filter(mall=mall)
    reported = base.filter(received_at__gte=start, received_at__lt=end).aggregate(
        n=Count("pk"), repeats=Count("pk", filter=Q(is_repeat=True))
    )
    fixed = base.filter(fixed_at__gte=start, fixed_at__lt=end).aggregate(
        n=Count("pk"), avg=Avg(F("fixed_at") - F("received_at"))
    )
    live = base.live().filter(received_at__lt=end)
    still = live.aggregate(
        n=Count("pk"),
        overdue=Count("pk", filter=Q(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED])),
    )
    return {
        "reported": reported["n"],
        "repeats": reported["repeats"],
        "fixed": fixed["n"],
        "avg_fix_minutes": round(fixed["avg"].total_seconds() / 60) if fixed["avg"] else None,
        "open": still["n"],
        "overdue": still["overdue"],
    }


def summary_build(
    *,
    mall: Mall,
    period: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    now: datetime.datetime | None = None,
    email: bool = True,
) -> Summary:
    """Build (or rebuild) and store a summary, then e-mail it to the mall's
    recipients through the outbox. Idempotent per (mall, period, start)."""
    now = _now(now)
    with transaction.atomic():
        desk = desk_config_ensure(mall=mall)
        figures = summary_figures(mall=mall, starts_on=starts_on, ends_on=ends_on, now=now)
        summary, _created = Summary.objects.select_for_update().get_or_create(
            mall=mall,
            period=Summary.Period(period),
            starts_on=starts_on,
            defaults={"ends_on": ends_on, "generated_at": now, "data": figures},
        )
        if not _created:
            summary.ends_on, summary.generated_at, summary.data = ends_on, now, figures
            summary.save(update_fields=["ends_on", "generated_at", "data"])
        recipients = desk.recipients()
        if email and recipients:
            with override("zh-hans"):
                subject = _("%(mall)s complaints summary %(start)s – %(end)s") % {
                    "mall": mall.name,
                    "start": starts_on,
                    "end": ends_on,
                }
                body = _summary_text(figures)
            OutboxMessage.objects.create(
                mall=mall,
                channel=OutboxMessage.Channel.EMAIL,
                to=",".join(recipients),
                subject=subject,
                body=body,
            )
            summary.emailed_to = recipients
            summary.save(update_fields=["emailed_to"])
    return summary


def _summary_text(figures: dict[str, Any]) -> str:
    lines = [
        _("Received: %(n)s") % {"n": figures["received"]},
        _("Resolved: %(n)s") % {"n": figures["resolved"]},
        _("Still open: %(n)s") % {"n": figures["open"]},
        _("Overdue: %(n)s") % {"n": figures["overdue"]},
        _("Calls logged: %(n)s") % {"n": figures["calls"]},
    ]
    faults = figures.get("faults")
    if faults:
        lines.append(
            _("Faults reported: %(n)s, fixed: %(fixed)s, still open: %(open)s (overdue %(late)s)")
            % {
                "n": faults["reported"],
                "fixed": faults["fixed"],
                "open": faults["open"],
                "late": faults["overdue"],
            }
        )
    for name, n in figures["by_category"]:
        lines.append(f"  {name}: {n}")
    return "\n".join(lines)


def summaries_dispatch(*, now: datetime.datetime | None = None) -> int:
    """Build each mall's daily summary once its configured time has come
    (before 18:00); on Sundays the weekly one, on the last day of a month
    the monthly one. Already-built summaries are not rebuilt."""
    now = _now(now)
    local = timezone.localtime(now)
    today = local.date()
    built = 0
    for mall in Mall.objects.filter(is_active=True):
        desk = desk_config_ensure(mall=mall)
        if local.time() < desk.summary_time:
            continue
        wanted = [(Summary.Period.DAY, today)]
        if today.weekday() == 6:
            wanted.append((Summary.Period.WEEK, today - datetime.timedelta(days=6)))
        if (today + datetime.timedelta(days=1)).day == 1:
            wanted.append((Summary.Period.MONTH, today.replace(day=1)))
        for period, starts_on in wanted:
            if Summary.objects.filter(mall=mall, period=period, starts_on=starts_on).exists():
                continue
            try:
                summary_build(mall=mall, period=period, starts_on=starts_on, ends_on=today, now=now)
            except IntegrityError:
                continue  # another dispatcher built it a moment ago
            built += 1
    return built
