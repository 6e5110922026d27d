"""Every write to the outbox: queue a message, dispatch due ones, resend a
failed one, record a delivery receipt."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.notifications import rules
from mallservice.notifications.models import Message
from mallservice.notifications.providers import PermanentError, Provider, provider_for
from mallservice.permissions import RESEND_MESSAGE
from mallservice.queue import enqueue

DISPATCH_TASK = "mallservice.tasks.messages_dispatch_task"
# A stack of parcels checked in together (or a bulk intake) needs one
# delivery run, not one per message: kick the dispatcher at most this often
# (beat runs it every minute anyway).
KICK_SECONDS = 5
KICK_KEY = "notifications:kick"


def _kick() -> None:
    # By the task's name: the tasks module imports the services.
    if cache.add(KICK_KEY, True, timeout=KICK_SECONDS):
        enqueue(DISPATCH_TASK)


@contextlib.contextmanager
def kicks_held() -> Iterator[None]:
    """No dispatch kick while bulk work queues messages (the demo data, in
    one process or several); one kick when it ends, for all of them, so
    what is sent does not depend on which process committed first."""
    cache.set(KICK_KEY, True, timeout=None)
    try:
        yield
    finally:
        cache.delete(KICK_KEY)
        transaction.on_commit(_kick)


def message_queue(
    *,
    mall_id: int,
    kind: str,
    channel: str,
    category: str,
    audience: str,
    recipient: str,
    body: str,
    key: str,
    source: str = "",
    recipient_name: str = "",
    template: str = "",
    params: dict[str, Any] | None = None,
    subject: str = "",
    url: str = "",
    due_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
    fresh: bool = False,
) -> Message | None:
    """Put a message in the outbox, in the caller's transaction; None when
    a message with the same idempotency `key` exists (the same event is
    never queued twice). `fresh`: the record the key names was created in
    this transaction, so no message can have it yet (no savepoint on the
    hot path). Side effect: the dispatcher is kicked on commit."""
    now = now or timezone.now()
    due_at = due_at or now
    message = Message(
        mall_id=mall_id,
        kind=kind,
        source=source,
        channel=channel,
        category=category,
        audience=audience,
        recipient=recipient,
        recipient_name=recipient_name[:100],
        template=template,
        params=params or {},
        subject=subject[:200],
        body=body,
        url=url,
        idempotency_key=key,
        created_at=now,
        due_at=due_at,
        next_attempt_at=due_at,
    )
    if fresh:
        message.save()
    else:
        try:
            with transaction.atomic():  # a savepoint: a duplicate key is expected
                message.save()
        except IntegrityError:
            if Message.objects.filter(idempotency_key=key).exists():
                return None
            raise
    transaction.on_commit(_kick)
    return message


def _claim(*, now: datetime.datetime, skip: list[int]) -> Message | None:
    """Take the message due longest: pending and due, or "sending" for
    longer than the claim window (its worker died during or right after the
    send). Committed at once, so the claim survives whatever happens next."""
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("mall")
            .filter(
                Q(status=Message.Status.PENDING, next_attempt_at__lte=now)
                | Q(status=Message.Status.SENDING, claimed_at__lt=stale)
            )
            .exclude(pk__in=skip)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if message is not None:
            # A stale "sending" row: the last worker may have reached the
            # provider; `previous_claim` is when it started.
            message.recovering = message.status == Message.Status.SENDING
            message.previous_claim = message.claimed_at
            message.status, message.claimed_at = Message.Status.SENDING, now
            message.attempts += 1
            message.save(update_fields=["status", "claimed_at", "attempts"])
    return message


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: base, 2×base, 4×base … up to the maximum."""
    seconds = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


def _sent(provider: Provider, provider_id: str, now: datetime.datetime) -> dict[str, Any]:
    recorded = getattr(provider, "records_only", False)
    status = Message.Status.RECORDED if recorded else Message.Status.SENT
    return {"status": status, "sent_at": now, "provider_message_id": provider_id[:100]}


def _deliver(message: Message, provider: Provider, now: datetime.datetime) -> dict[str, Any]:
    """Hand one claimed message to its provider; the fields to mark it with."""
    lookup = getattr(provider, "lookup", None)
    if message.recovering and lookup is not None:
        # The last worker died after claiming it: if the provider took it
        # then, sending it again would text the person twice.
        try:
            found = lookup(message)
        except Exception as exc:  # noqa: BLE001 - unknown: ask again later, never guess
            return {
                "status": Message.Status.SENDING,
                "attempts": message.attempts - 1,
                "last_error": str(exc)[:300],
            }
        if found:
            return {**_sent(provider, found, now), "last_error": ""}
    decision = rules.decide(message, now)
    if decision.refusal:
        return {"status": Message.Status.FAILED, "last_error": f"refused: {decision.refusal}"}
    if decision.wait_until is not None:
        # Held, not dropped; a wait is not a failed attempt.
        return {
            "status": Message.Status.PENDING,
            "next_attempt_at": decision.wait_until,
            "attempts": message.attempts - 1,
        }
    try:
        provider_id = provider.send(message)
    except PermanentError as exc:
        return {"status": Message.Status.FAILED, "last_error": str(exc)[:300]}
    except Exception as exc:  # noqa: BLE001 - any other provider error is retried
        if message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            return {"status": Message.Status.FAILED, "last_error": str(exc)[:300]}
        return {
            "status": Message.Status.PENDING,
            "next_attempt_at": now + retry_delay(message.attempts),
            "last_error": str(exc)[:300],
        }
    return {**_sent(provider, provider_id or "", now), "last_error": ""}


def messages_dispatch(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Send due messages through their channel's provider; returns how many
    were sent (or recorded by the console).

    Claim, send and mark are three steps, each committed on its own: a crash
    mid-batch leaves the messages already sent marked (never sent again)
    and at most the one being sent "sending", which is looked up at the
    provider (or sent again with the same key) after the claim window."""
    now = now or timezone.now()
    providers: dict[str, Provider] = {}
    seen: list[int] = []
    sent = 0
    while len(seen) < limit:
        message = _claim(now=now, skip=seen)
        if message is None:
            break
        seen.append(message.pk)
        if message.channel not in providers:
            providers[message.channel] = provider_for(message.channel)
        provider = providers[message.channel]
        fields = {"provider": provider.name, **_deliver(message, provider, now)}
        if fields["status"] in (Message.Status.SENT, Message.Status.RECORDED):
            sent += 1
        # Only our own claim is marked: a twin that re-claimed the row keeps it.
        Message.objects.filter(
            pk=message.pk, status=Message.Status.SENDING, claimed_at=message.claimed_at
        ).update(**fields)
    return sent


class NotResendable(ValidationError):
    pass


def message_resend(
    *, actor: Any, message: Message, now: datetime.datetime | None = None
) -> Message:
    """A supervisor sends a failed or undelivered message again: the same
    row, due now, its attempts counted afresh. Side effect: a dispatch kick."""
    if not actor.has_perm(RESEND_MESSAGE):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.status not in Message.RESENDABLE:
            raise NotResendable(
                _("Only a failed or undelivered message can be sent again."),
                code="not_resendable",
            )
        locked.status, locked.attempts, locked.next_attempt_at = Message.Status.PENDING, 0, now
        locked.claimed_at, locked.delivered_at = None, None
        locked.last_error, locked.provider_message_id = "", ""
        locked.save(
            update_fields=[
                "status",
                "attempts",
                "next_attempt_at",
                "claimed_at",
                "delivered_at",
                "last_error",
                "provider_message_id",
            ]
        )
        transaction.on_commit(_kick)
    return locked


def receipt_record(
    *, provider_message_id: str, delivered: bool, at: datetime.datetime, error: str = ""
) -> bool:
    """Write a provider's delivery receipt on its message; False when no
    sent message has that provider id (an unknown or repeated receipt)."""
    if not provider_message_id:
        return False
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(
                provider_message_id=provider_message_id,
                status__in=[Message.Status.SENT, Message.Status.UNDELIVERED],
            )
            .first()
        )
        if message is None:
            return False
        message.status = Message.Status.DELIVERED if delivered else Message.Status.UNDELIVERED
        message.delivered_at, message.last_error = at, error[:300]
        message.save(update_fields=["status", "delivered_at", "last_error"])
    return True
