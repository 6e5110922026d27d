"""Who hears of a case: the staff of a role in a mall, the immediate alert
of a safety case, and the outbox dispatcher that sends SMS and e-mail
through their backend."""

from __future__ import annotations

import datetime

from django.conf import settings
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


def _outbox_claim(*, now: datetime.datetime, skip: list[int]) -> OutboxMessage | None:
    """Take the oldest message due: pending, or "sending" for longer than
    the claim window (its worker died during or right after the send).
    Committed at once, so the claim survives whatever happens next."""
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                Q(state=OutboxMessage.State.PENDING)
                | Q(state=OutboxMessage.State.SENDING, claimed_at__lt=stale)
            )
            .exclude(pk__in=skip)
            .order_by("created_at", "pk")
            .first()
        )
        if message is not None:
            message.state, message.claimed_at = OutboxMessage.State.SENDING, now
            message.save(update_fields=["state", "claimed_at"])
    return message


def _outbox_deliver(message: OutboxMessage, backend) -> tuple[str, str]:
    """Hand one message to its backend; (state, backend name)."""
    name = backend.name if message.channel == OutboxMessage.Channel.SMS else "django-mail"
    try:
        if message.channel == OutboxMessage.Channel.SMS:
            sent = backend.send(message)
            records_only = getattr(backend, "records_only", False)
            state = (
                OutboxMessage.State.SENT
                if sent
                else OutboxMessage.State.RECORDED
                if records_only
                else OutboxMessage.State.FAILED
            )
            return state, name
        sent = send_email(message)
        return (OutboxMessage.State.SENT if sent else OutboxMessage.State.FAILED), name
    except Exception:  # noqa: BLE001 - a carrier error must not stop the others
        return OutboxMessage.State.FAILED, name


def outbox_dispatch(*, now: datetime.datetime | None = None, limit: int = 100) -> int:
    """Send pending outbox messages through their backend, each once.

    Claim, send and mark are three steps, each committed on its own: a crash
    mid-batch leaves the messages already sent marked "sent" (never sent
    again) and at most the one being sent "sending", which is sent again
    after OUTBOX_SENDING_STALE_SECONDS with the same Message-ID."""
    now = _now(now)
    done = 0
    backend = sms_backend()
    seen: list[int] = []
    while len(seen) < limit:
        message = _outbox_claim(now=now, skip=seen)
        if message is None:
            break
        seen.append(message.pk)
        state, backend_name = _outbox_deliver(message, backend)
        # Only our own claim is marked: a slower twin that re-claimed the
        # row keeps it.
        OutboxMessage.objects.filter(
            pk=message.pk, state=OutboxMessage.State.SENDING, claimed_at=message.claimed_at
        ).update(state=state, backend=backend_name, processed_at=now)
        done += 1
    return done
