"""The parcel notices the mailroom sends through the shared outbox
(`mallservice.notifications`): their kinds, and the record they are about."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeKind(models.TextChoices):
    """`Message.kind` of a parcel notice; one of each per parcel (the
    idempotency key), so a reminder or an escalation exists only once."""

    ARRIVAL = "mailroom.arrival", _("arrival notice")
    REMINDER = "mailroom.reminder", _("reminder")
    ESCALATION = "mailroom.escalation", pgettext_lazy("notification", "escalation")
    RETURNED = "mailroom.returned", _("returned to sender")


def parcel_source(parcel_id: int) -> str:
    """How the outbox names the parcel a message is about."""
    return f"parcel:{parcel_id}"
