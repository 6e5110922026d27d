"""The channel rules, in one place: quiet hours, consent and do-not-contact,
the per-recipient daily cap, and the length of an SMS.

`decide(message, now)` is asked by the dispatcher just before a send: send
now, wait until a time (never dropped), or refuse for good."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from mallservice import hooks
from mallservice.notifications.models import Message

# "No marketing or reminders 21:00–08:00 local" (issue 17).
QUIET_CATEGORIES = (Message.Category.REMINDER, Message.Category.MARKETING)
# A customer's daily cap counts what is neither about their own case nor urgent.
CAPPED_CATEGORIES = (
    Message.Category.NOTICE,
    Message.Category.REMINDER,
    Message.Category.MARKETING,
)
# A mainland SMS counts every character alike (Chinese or not), the
# signature 【…】 included: one message up to 70, else 67 a segment.
SMS_SINGLE = 70
SMS_MULTIPART = 67


@dataclass(frozen=True)
class SmsLength:
    chars: int
    segments: int
    per_segment: int


def sms_length(text: str, *, sign_name: str = "") -> SmsLength:
    """How many characters and billed segments an SMS is, as the carrier
    counts them (shown to the desk before it is sent)."""
    chars = len(text) + (len(sign_name) + 2 if sign_name else 0)
    if chars <= SMS_SINGLE:
        return SmsLength(chars=chars, segments=1 if chars else 0, per_segment=SMS_SINGLE)
    return SmsLength(
        chars=chars, segments=math.ceil(chars / SMS_MULTIPART), per_segment=SMS_MULTIPART
    )


@dataclass(frozen=True)
class Decision:
    send: bool
    wait_until: datetime.datetime | None = None
    refusal: str = ""


SEND = Decision(send=True)


def _local_at(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def quiet_until(message: Message, now: datetime.datetime) -> datetime.datetime | None:
    """When quiet hours end, if `message` may not go to a customer now."""
    if message.audience != Message.Audience.CUSTOMER or message.category not in QUIET_CATEGORIES:
        return None
    start, end = settings.NOTIFY_QUIET_HOURS
    local = timezone.localtime(now)
    # The quiet night crosses midnight: 21:00 today to 08:00 tomorrow.
    if local.time() >= start:
        return _local_at(local.date() + datetime.timedelta(days=1), end)
    if local.time() < end:
        return _local_at(local.date(), end)
    return None


def cap_until(message: Message, now: datetime.datetime) -> datetime.datetime | None:
    """The next morning, if the customer already had their day's messages."""
    if message.audience != Message.Audience.CUSTOMER or message.category not in CAPPED_CATEGORIES:
        return None
    local = timezone.localtime(now)
    day_start = _local_at(local.date(), datetime.time.min)
    sent_today = (
        Message.objects.filter(
            recipient=message.recipient,
            channel=message.channel,
            category__in=CAPPED_CATEGORIES,
            sent_at__gte=day_start,
        )
        .exclude(pk=message.pk)
        .count()
    )
    if sent_today < settings.NOTIFY_DAILY_CAP:
        return None
    return _local_at(local.date() + datetime.timedelta(days=1), settings.NOTIFY_QUIET_HOURS[1])


def decide(message: Message, now: datetime.datetime) -> Decision:
    refusal = hooks.contact_refusal(
        channel=message.channel,
        recipient=message.recipient,
        category=message.category,
        mall_id=message.mall_id,
    )
    if refusal:
        return Decision(send=False, refusal=refusal)
    wait = quiet_until(message, now) or cap_until(message, now)
    if wait is not None:
        return Decision(send=False, wait_until=wait)
    return SEND
