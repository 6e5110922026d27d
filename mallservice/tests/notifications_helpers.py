"""Messages for the outbox tests, and providers that answer as told."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from mallservice.notifications.models import Message
from mallservice.notifications.providers import PermanentError, TransientError
from mallservice.notifications.services import message_queue

_keys = itertools.count()


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time in December 2026."""
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute))


def queue(mall, **kwargs) -> Message:
    fields = {
        "mall_id": mall.pk,
        "kind": "test.notice",
        "channel": Message.Channel.SMS,
        "category": Message.Category.NOTICE,
        "audience": Message.Audience.CUSTOMER,
        "recipient": "13800000001",
        "body": "【测试】您好",
        "key": f"test:{next(_keys)}",
        "now": at(2, 10),
    }
    return message_queue(**(fields | kwargs))


class RecordingProvider:
    """Accepts every message and remembers it."""

    name = "recording"
    records_only = False
    sent: list[int] = []

    def send(self, message: Message) -> str:
        type(self).sent.append(message.pk)
        return f"id-{message.pk}"


class DownProvider:
    name = "down"
    records_only = False
    calls = 0

    def send(self, message: Message) -> str:
        type(self).calls += 1
        raise TransientError("gateway busy")


class RefusingProvider:
    name = "refusing"
    records_only = False
    calls = 0

    def send(self, message: Message) -> str:
        type(self).calls += 1
        raise PermanentError("InvalidParameterValue.IncorrectPhoneNumber")
