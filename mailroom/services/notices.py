"""The notification outbox: a notice is written in the same transaction as
the change that caused it (`notice_queue`) and delivered later by
`outbox_dispatch` through the configured backend (`mailroom.notify`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mailroom.models import Notification, Parcel
from mailroom.notify import get_backend
from mallservice.clock import local_date
from mallservice.queue import enqueue

OUTBOX_MAX_ATTEMPTS = 5


def _recipient_contact(parcel: Parcel) -> tuple[str, str]:
    if parcel.recipient_kind == Parcel.RecipientKind.UNIT and parcel.recipient_unit:
        unit = parcel.recipient_unit
        return (parcel.recipient_name or unit.contact_name or unit.name, unit.contact_phone)
    if parcel.recipient_kind == Parcel.RecipientKind.STAFF and parcel.recipient_staff:
        return (str(parcel.recipient_staff), parcel.recipient_staff.phone)
    return (parcel.recipient_label, parcel.recipient_phone)


def notice_queue(
    parcel: Parcel, *, kind: str, now: datetime.datetime, new_parcel: bool = False
) -> Notification | None:
    """Write an outbox row once per (parcel, kind); a second call does nothing.
    A parcel created in this transaction has no notices yet, so its arrival
    notice needs no savepoint to catch a duplicate."""
    to_name, to_phone = _recipient_contact(parcel)
    notification = Notification(
        mall_id=parcel.mall_id,
        parcel=parcel,
        kind=kind,
        to_name=to_name[:100],
        to_phone=to_phone,
        params={
            "pickup_code": parcel.pickup_code,
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
            "received_on": local_date(parcel.received_at).isoformat(),
        },
        created_at=now,
    )
    if new_parcel:
        notification.save()
    else:
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            return None
    transaction.on_commit(_enqueue_outbox)
    return notification


OUTBOX_DISPATCH_TASK = "mailroom.tasks.outbox_dispatch_task"

# A stack of parcels checked in together needs one delivery run, not one
# per parcel: kick the outbox at most this often (the beat runs it every
# minute anyway, so nothing waits longer than that).
OUTBOX_KICK_SECONDS = 5


def _enqueue_outbox() -> None:
    # By the task's name: the tasks module imports the services, not the
    # other way round.
    if cache.add("mailroom:outbox-kick", True, timeout=OUTBOX_KICK_SECONDS):
        enqueue(OUTBOX_DISPATCH_TASK)


def _outbox_claim(*, now: datetime.datetime, skip: list[int]) -> Notification | None:
    """Take the oldest notice due: pending, or "sending" for longer than the
    claim window (its worker died during or right after the send). Committed
    at once, so the claim survives whatever happens next."""
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=Notification.Status.PENDING)
                | Q(status=Notification.Status.SENDING, claimed_at__lt=stale)
            )
            .exclude(pk__in=skip)
            .order_by("created_at", "pk")
            .first()
        )
        if notification is not None:
            notification.status, notification.claimed_at = Notification.Status.SENDING, now
            notification.attempts += 1
            notification.save(update_fields=["status", "claimed_at", "attempts"])
    return notification


def outbox_dispatch(*, now: datetime.datetime | None = None, limit: int = 100) -> int:
    """Deliver pending notifications through the configured backend.

    Claim, send and mark are three steps, each committed on its own: a crash
    mid-batch leaves the notices already delivered marked "sent" (never sent
    again) and at most one "sending", sent again after
    OUTBOX_SENDING_STALE_SECONDS with the same message_id. A failed send is
    retried at the next dispatch, up to OUTBOX_MAX_ATTEMPTS."""
    now = now or timezone.now()
    backend = get_backend()
    backend_name = getattr(backend, "name", type(backend).__name__)
    delivered = 0
    seen: list[int] = []
    while len(seen) < limit:
        notification = _outbox_claim(now=now, skip=seen)
        if notification is None:
            break
        seen.append(notification.pk)
        fields: dict[str, Any] = {"backend": backend_name}
        try:
            backend.send(notification)
        except Exception as exc:  # noqa: BLE001 - any backend failure is retried
            fields["error"] = str(exc)[:200]
            fields["status"] = (
                Notification.Status.FAILED
                if notification.attempts >= OUTBOX_MAX_ATTEMPTS
                else Notification.Status.PENDING
            )
        else:
            fields |= {"status": Notification.Status.SENT, "sent_at": now, "error": ""}
            delivered += 1
        # Only our own claim is marked: a twin that re-claimed the row keeps it.
        Notification.objects.filter(
            pk=notification.pk,
            status=Notification.Status.SENDING,
            claimed_at=notification.claimed_at,
        ).update(**fields)
    return delivered
