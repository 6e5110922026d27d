"""Intake: a complaint received with its reference number, SLA due times,
escalation rungs and acknowledgement; attachments; a members merge moving
complaints to the surviving member."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints import sla
from complaints.legal import legal_clock
from complaints.models import (
    Attachment,
    Category,
    Complaint,
    PhoneCall,
    Severity,
    StatusCategory,
)
from complaints.services.cases import (
    Event,
    attachment_validate,
    case_event_record,
    case_location_check,
    case_reference_next,
    case_source,
    case_supervisors_alert,
    complaint_lock,
    current_time,
)
from complaints.services.desk import desk_settings_get, status_default, tier_find
from complaints.services.escalation import escalation_ladder_create, escalation_legal_create
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Floor, Mall, Unit, User
from mallservice.notifications import providers
from mallservice.notifications.models import Message
from mallservice.notifications.services import message_queue
from mallservice.validators import normalise_mobile
from members.models import Member


@transaction.atomic
def complaint_receive(
    *,
    actor: User,
    mall: Mall,
    channel: str,
    source_case_number: str = "",
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
    typed `member_tier` must be one of the mall's tier codes.

    A public channel (12315, market regulation, 12345) gets its legal
    deadline in working days and a legal rung on the escalation ladder
    before it runs out."""
    now = current_time(now)
    desk = desk_settings_get(mall=mall)
    if category.mall_id != mall.pk:
        raise field_error("category", _("Unknown category."), "wrong_mall")
    case_location_check(mall, floor, unit)
    if unit is not None and floor is None:
        floor = unit.floor
    if member is not None:
        # Re-read: the member may have been merged since the desk found them.
        member = Member.objects.select_related("tier").get(pk=member.pk)
        if member.mall_id != mall.pk or member.status != Member.Status.ACTIVE:
            raise field_error(
                "member",
                _("This member cannot be linked to a complaint of this mall."),
                "wrong_member",
            )
        tier = member.tier.code if member.tier else ""
        complainant_name = complainant_name.strip() or member.name
        complainant_phone = complainant_phone or member.phone
    elif (member_tier or "").strip():
        typed = tier_find(mall, member_tier)
        if typed is None:
            raise field_error(
                "member_tier", _("This mall has no member tier with this code."), "unknown_tier"
            )
        tier = typed.code
    else:
        tier = ""
    if not complainant_name.strip():
        raise field_error(
            "complainant_name", _("Enter the complainant's name or find the member."), "required"
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
    local_day = local_date(now)
    sev = Severity(severity)
    clock = sla.plan(mall, sev, tier, now)
    legal = legal_clock(mall, channel, now)
    complaint = Complaint(
        mall=mall,
        reference=case_reference_next(mall, local_day, desk.reference_prefix),
        received_at=now,
        channel=channel,
        source_case_number=source_case_number.strip(),
        legal_due_on=legal.due_on if legal else None,
        legal_working_days=legal.working_days if legal else None,
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
        status=status_default(mall, StatusCategory.OPEN),
        status_category=StatusCategory.OPEN,
        response_due_at=clock.response_due_at,
        resolution_due_at=clock.resolution_due_at,
        created_by=actor,
    )
    complaint.full_clean(
        exclude=["status", "category", "created_by", "floor", "unit", "mall", "member"]
    )
    complaint.save()
    escalation_ladder_create(complaint, plan=clock)
    if legal is not None:
        escalation_legal_create(complaint, due_at=legal.escalate_at)
    case_event_record(
        complaint, Event.RECEIVED, actor=actor, now=now, channel=channel, severity=sev
    )
    for upload in attachments or []:
        _attachment_save(complaint, upload, actor=actor, now=now)
    if phone_call is not None:
        call = PhoneCall.objects.select_for_update().get(pk=phone_call.pk)
        if call.complaint_id is not None:
            raise ValidationError(_("This call is already a complaint."), code="call_used")
        require_same_mall(mall, call)
        call.complaint = complaint
        call.save(update_fields=["complaint"])
    if phone:
        _sms_acknowledge(complaint, actor=actor, now=now)
    if sev == Severity.SAFETY:
        with override("zh-hans"):
            subject = _("Safety complaint %(ref)s") % {"ref": complaint.reference}
        case_supervisors_alert(complaint, subject=subject, actor=actor, now=now)
    # The outbox kicks its dispatcher at most every few seconds: bulk
    # intake (demo, imports) does not flood the broker.
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
    params = {
        "mall": complaint.mall.name,
        "ref": complaint.reference,
        "phone": complaint.mall.phone,
    }
    with override("zh-hans"):
        body = (
            _(
                "[%(mall)s] Your complaint was received, reference %(ref)s. We will handle it "
                "and call you back. Questions: %(phone)s."
            )
            % params
        )
    message_queue(
        mall_id=complaint.mall_id,
        kind="complaints.ack",
        source=case_source(complaint),
        channel=Message.Channel.SMS,
        # An update about the customer's own case: sent even at night.
        category=Message.Category.CASE_UPDATE,
        audience=Message.Audience.CUSTOMER,
        recipient=complaint.complainant_phone,
        body=body,
        template="complaints.ack",
        params=params,
        key=f"complaints.ack:{complaint.pk}",
        now=now,
        fresh=True,
    )
    # Said on the timeline: without an SMS channel the text is only kept,
    # and the desk must not tell the customer a message is on its way.
    records_only = providers.records_only(Message.Channel.SMS)
    case_event_record(complaint, Event.SMS, actor=actor, now=now, records_only=records_only)


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
    case_event_record(
        complaint, Event.ATTACHMENT, actor=actor, now=now, name=attachment.original_name
    )
    return attachment


@transaction.atomic
def attachment_add(
    *, actor: User, complaint: Complaint, upload: UploadedFile, now: datetime.datetime | None = None
) -> Attachment:
    complaint = complaint_lock(complaint)
    return _attachment_save(complaint, upload, actor=actor, now=current_time(now))
