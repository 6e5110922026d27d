"""Intake: a complaint received with its reference number, SLA due times,
escalation rungs and acknowledgement; attachments; a members merge moving
complaints to the surviving member."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints import sla
from complaints.models import (
    Attachment,
    Category,
    Complaint,
    DailyCounter,
    OutboxMessage,
    PhoneCall,
    Severity,
    StatusCategory,
)
from complaints.services.common import Event, _event, _lock, _now
from complaints.services.desk import (
    _default_status,
    desk_config_ensure,
    opening_hours,
    targets,
    tier_find,
)
from complaints.services.escalation import escalation_ladder_create
from complaints.services.notify import _alert_supervisors_now
from mallservice.models import Floor, Mall, Unit, User
from mallservice.uploads import PHOTO_OR_PDF, CheckedUpload, upload_check
from mallservice.validators import normalise_mobile
from members.models import Member


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


def attachment_validate(upload: UploadedFile, *, field: str | None = None) -> CheckedUpload:
    """The upload checked by its content (ValidationError otherwise): only
    photos that decode (JPEG, PNG, WebP) and complete PDFs, at most
    UPLOAD_MAX_BYTES["attachment"] (5 MB). Its name is never used."""
    return upload_check(upload, rule=PHOTO_OR_PDF, field=field)


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
    call linked when it came from the phone log (its number is the
    complainant's when `complainant_phone` is empty).

    With a `member` the complaint is linked to them and the tier code is the
    member's (a typed `member_tier` is ignored); the member's name and phone
    fill the complainant's when those are left empty. Without a member, a
    typed `member_tier` must be one of the mall's tier codes."""
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
    elif (member_tier or "").strip():
        typed = tier_find(mall, member_tier)
        if typed is None:
            # A dict given to ValidationError drops `code`: nest it.
            raise ValidationError(
                {
                    "member_tier": ValidationError(
                        _("This mall has no member tier with this code."), code="unknown_tier"
                    )
                }
            )
        tier = typed.code
    else:
        tier = ""
    if not complainant_name.strip():
        raise ValidationError(
            {"complainant_name": _("Enter the complainant's name or find the member.")},
            code="required",
        )
    if phone_call is not None and not complainant_phone and phone_call.phone:
        # From the phone log: the page never held the caller's full number.
        # A landline or a garbled number is left out, not an error.
        try:
            complainant_phone = normalise_mobile(phone_call.phone)
        except ValidationError:
            complainant_phone = ""
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
    escalation_ladder_create(complaint, start=now, targets=goal, hours=hours)
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
    checked = attachment_validate(upload)
    attachment = Attachment(
        mall_id=complaint.mall_id,
        complaint=complaint,
        # Shown (escaped) as the link's text; the stored name is random.
        original_name=upload.name[:200],
        content_type=checked.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(checked.file.name, checked.file, save=False)
    attachment.save()
    _event(complaint, Event.ATTACHMENT, actor=actor, now=now, name=attachment.original_name)
    return attachment


@transaction.atomic
def attachment_add(
    *, actor: User, complaint: Complaint, upload: UploadedFile, now: datetime.datetime | None = None
) -> Attachment:
    complaint = _lock(complaint)
    return _attachment_save(complaint, upload, actor=actor, now=_now(now))
