"""Sending what the outbox holds. SMS goes through a pluggable backend named
by the setting COMPLAINTS_SMS_BACKEND (dotted path to a class with
`send(message) -> bool`); the default only records, because the desk has no
SMS contract yet. E-mail goes through Django's mail backend.

Each message carries its idempotency key (`OutboxMessage.message_id`, the
e-mail's Message-ID header; an SMS backend gets it as `message.message_id`):
a message sent again after a crash carries the same key."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

DEFAULT_SMS_BACKEND = "complaints.outbox.RecordOnlySmsBackend"


class SmsBackend(Protocol):
    name: str

    def send(self, message) -> bool:  # pragma: no cover - protocol
        """Hand the message to the carrier; True when it was sent."""


class RecordOnlySmsBackend:
    """Keeps the text in the outbox and sends nothing."""

    name = "record-only"
    records_only = True

    def send(self, message) -> bool:
        return False


def sms_backend() -> SmsBackend:
    path = getattr(settings, "COMPLAINTS_SMS_BACKEND", DEFAULT_SMS_BACKEND)
    return import_string(path)()


def send_email(message) -> bool:
    recipients = [line.strip() for line in message.to.split(",") if line.strip()]
    if not recipients:
        return False
    EmailMessage(
        message.subject, message.body, None, recipients, headers={"Message-ID": message.message_id}
    ).send(fail_silently=False)
    return True
