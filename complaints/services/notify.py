"""Who hears of a case: the staff of a role in a mall, the immediate alert
of a safety case, and the outbox dispatcher that sends SMS and e-mail
through their backend."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from complaints.models import Complaint, Escalation, FaultReport, OutboxMessage
from complaints.outbox import send_email, sms_backend
from complaints.services.common import Event, _event, _now
from mallservice.models import User
from mallservice.roles import Role


def _staff_emails(mall_id: int, role: str) -> list[tuple[int, str]]:
    group = Group.objects.filter(name=role).first()
    if group is None:
        return []
    users = User.objects.filter(groups=group, is_active=True).filter(
        Q(mall_id=mall_id) | Q(extra_malls=mall_id) | Q(all_malls=True)
    )
    return sorted({(u.pk, u.email) for u in users})


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
