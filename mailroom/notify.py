"""Pluggable delivery of outbox notifications.

A backend is a class with `send(notification) -> None` that raises on
failure; it passes `notification.message_id` on as the idempotency key (a
notice re-sent after a crash carries the same one, so the receiving side can
drop the copy); choose it with `MAILROOM_NOTIFY_BACKEND` (dotted path). The default
only records the message (the outbox row is the record); an SMS or WeCom
backend can be dropped in without touching the services."""

from __future__ import annotations

import logging
from typing import Protocol

from django.utils.module_loading import import_string

from mailroom import conf
from mailroom.models import RECORD_ONLY_BACKEND

logger = logging.getLogger(__name__)


class NotificationBackend(Protocol):
    name: str

    def send(self, notification) -> None: ...


class RecordOnlyBackend:
    name = RECORD_ONLY_BACKEND

    def send(self, notification) -> None:
        logger.info(
            "mailroom notification %s %s kind=%s parcel=%s",
            notification.pk,
            notification.message_id,
            notification.kind,
            notification.parcel_id,
        )


def get_backend() -> NotificationBackend:
    return import_string(conf.get("NOTIFY_BACKEND"))()
