"""Who sends a message of each channel. `NOTIFY_PROVIDERS` names a class
(dotted path) per channel; the default is the console for SMS and WeCom
(`make run`: supervisors read the messages on the console page) and
Django's mail backend for e-mail.

A provider's `send(message)` returns the provider's message id, or raises
`TransientError` (retried with backoff) or `PermanentError` (never retried:
an invalid number, a recipient who unsubscribed). Any other exception counts
as transient. An optional `lookup(message)` answers whether a message whose
worker died mid-send reached the provider (its id, or "")."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from mallservice.notifications.models import Message

logger = logging.getLogger(__name__)


class TransientError(Exception):
    """The provider could not take the message now; try again later."""


class PermanentError(Exception):
    """The provider refused the message for good."""


class Provider(Protocol):
    name: str
    # True for the console: the message is written down, nobody is reached.
    records_only: bool

    def send(self, message: Message) -> str: ...


class ConsoleProvider:
    name = "console"
    records_only = True

    def send(self, message: Message) -> str:
        # A warning: somebody has to pass the message on by hand.
        logger.warning(
            "%s message %s to %s recorded, not sent (no provider): %s",
            message.channel,
            message.pk,
            message.recipient,
            message.body,
        )
        return ""


class EmailProvider:
    """Django's mail backend; the Message-ID is the row's, so a copy sent
    again after a crash can be dropped by the receiving server."""

    name = "email"
    records_only = False

    def send(self, message: Message) -> str:
        recipients = [line.strip() for line in message.recipient.split(",") if line.strip()]
        if not recipients:
            raise PermanentError("no e-mail address")
        EmailMessage(
            message.subject,
            message.body,
            None,
            recipients,
            headers={"Message-ID": message.message_id},
        ).send(fail_silently=False)
        return message.message_id


DEFAULT_PROVIDERS = {
    Message.Channel.SMS: "mallservice.notifications.providers.ConsoleProvider",
    Message.Channel.WECOM: "mallservice.notifications.providers.ConsoleProvider",
    Message.Channel.EMAIL: "mallservice.notifications.providers.EmailProvider",
}


def provider_for(channel: str) -> Provider:
    configured = getattr(settings, "NOTIFY_PROVIDERS", {}) or {}
    return import_string(configured.get(channel) or DEFAULT_PROVIDERS[channel])()


def records_only(channel: str) -> bool:
    """Whether a message of `channel` would only be written down (the
    desk must then tell the person itself)."""
    return getattr(provider_for(channel), "records_only", False)
