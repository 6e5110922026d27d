"""The outbox dispatcher: SMS and e-mail of both kinds of case sent through
their backend, each once."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from complaints.models import OutboxMessage
from complaints.outbox import send_email, sms_backend
from complaints.services.cases import current_time


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
    now = current_time(now)
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
