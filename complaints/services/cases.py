"""The case machinery complaints and fault reports share (a fault report is
"a case with a different intake and no customer callback", issue 10): the
clock (`now` is injectable so SLA arithmetic is testable at fixed times),
the row lock, the timeline event written in the same transaction as the
change it records, the per-day reference numbers, the location and
attachment checks, and the immediate alert of a safety case."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import (
    Activity,
    Complaint,
    DailyCounter,
    Escalation,
    FaultReport,
)
from mallservice.counters import counter_next
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Floor, Mall, Unit, User
from mallservice.notifications.models import Message
from mallservice.notifications.services import message_queue
from mallservice.roles import Role
from mallservice.uploads import PHOTO_OR_PDF, CheckedUpload, upload_check

Event = Activity.Code
Case = Complaint | FaultReport


def current_time(now: datetime.datetime | None) -> datetime.datetime:
    """`now` when a caller (a test, a replay) fixed it, else the clock."""
    return now or timezone.now()


def case_owner(case: Case) -> dict[str, Case]:
    """The keyword naming the case on its timeline, ladder and outbox rows
    (each belongs to a complaint or to a fault report)."""
    return {"fault": case} if isinstance(case, FaultReport) else {"complaint": case}


def case_source(case: Case) -> str:
    """The case as the shared outbox names the record a message is about."""
    return f"fault:{case.pk}" if isinstance(case, FaultReport) else f"complaint:{case.pk}"


def case_event_record(
    case: Case,
    code: str,
    *,
    actor: User | None,
    now: datetime.datetime,
    text: str = "",
    **data: Any,
) -> Activity:
    """One timeline row of a case: a code and its parameters, never
    translated text."""
    return Activity.objects.create(
        mall_id=case.mall_id,
        **case_owner(case),
        at=now,
        code=code,
        actor=actor,
        text=text,
        data=data,
    )


def complaint_lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("mall")
        .get(pk=complaint.pk)
    )


def case_reference_next(
    mall: Mall, day: datetime.date, prefix: str, series: str = DailyCounter.Series.COMPLAINT
) -> str:
    """TS-20261127-003: per mall per series per day (fault reports count
    BX-… on their own). Concurrent intakes queue on the counter row and
    each gets its own number (`mallservice.counters`)."""
    number = counter_next(DailyCounter, mall=mall, series=series, day=day)
    return f"{prefix}-{day:%Y%m%d}-{number:03d}"


def case_location_check(mall: Mall, floor: Floor | None, unit: Unit | None) -> None:
    """The floor and the place are the case's mall's, and the place is on
    the floor when both are given."""
    require_same_mall(mall, floor, field="floor")
    require_same_mall(mall, unit, field="unit")
    if unit is not None and floor is not None and unit.floor_id != floor.pk:
        raise field_error("unit", _("This place is not on the chosen floor."), "wrong_floor")


def attachment_validate(upload: UploadedFile, *, field: str | None = None) -> CheckedUpload:
    """The upload checked by its content (ValidationError otherwise): only
    photos that decode (JPEG, PNG, WebP) and complete PDFs, at most
    UPLOAD_MAX_BYTES["attachment"] (5 MB). Its name is never used."""
    return upload_check(upload, rule=PHOTO_OR_PDF, field=field)


def staff_emails(mall_id: int, role: str) -> list[tuple[int, str]]:
    """(id, e-mail) of the active staff of `role` who work in the mall: who
    hears of an escalation rung (who is told, not who may act)."""
    group = Group.objects.filter(name=role).first()
    if group is None:
        return []
    users = User.objects.filter(groups=group, is_active=True).filter(
        Q(mall_id=mall_id) | Q(extra_malls=mall_id) | Q(all_malls=True)
    )
    return sorted({(u.pk, u.email) for u in users})


def case_supervisors_alert(
    case: Case, *, subject: str, actor: User, now: datetime.datetime
) -> None:
    """Safety "is handled at once": the supervisors hear of a safety case
    (a complaint or a fault report) on intake, not at the first breach.
    `subject` is already in Chinese: the e-mail goes to the mall's staff.
    Side effects: an e-mail in the outbox, an "escalated" event."""
    recipients = staff_emails(case.mall_id, Role.SUPERVISOR)
    emails = [email for _pk, email in recipients if email]
    if emails:
        message_queue(
            mall_id=case.mall_id,
            kind="complaints.safety_alert",
            source=case_source(case),
            channel=Message.Channel.EMAIL,
            category=Message.Category.ALERT,
            audience=Message.Audience.STAFF,
            recipient=",".join(emails),
            subject=subject,
            body=case.description[:500],
            key=f"complaints.safety_alert:{case_source(case)}",
            now=now,
        )
    case_event_record(
        case,
        Event.ESCALATED,
        actor=actor,
        now=now,
        level=Escalation.Level.SUPERVISOR,
        safety=True,
        recipients=[pk for pk, _email in recipients],
    )
