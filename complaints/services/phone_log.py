"""电话接待记录: the desk's phone log."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from complaints.models import PhoneCall
from complaints.services.cases import current_time
from mallservice.models import Mall, User
from mallservice.validators import normalise_mobile


@transaction.atomic
def phone_call_log(
    *,
    actor: User,
    mall: Mall,
    topic: str,
    direction: str = PhoneCall.Direction.INBOUND,
    caller_name: str = "",
    phone: str = "",
    summary: str = "",
    outcome: str = "",
    now: datetime.datetime | None = None,
) -> PhoneCall:
    """电话接待记录: log one call in a few seconds."""
    number = phone.strip()
    if number:
        try:
            number = normalise_mobile(number)
        except ValidationError:
            # Landlines are fine too; keep digits only.
            number = "".join(ch for ch in number if ch.isdigit() or ch == "-")[:20]
    call = PhoneCall(
        mall=mall,
        at=current_time(now),
        direction=PhoneCall.Direction(direction),
        caller_name=caller_name.strip(),
        phone=number,
        topic=PhoneCall.Topic(topic),
        summary=summary.strip(),
        outcome=outcome.strip(),
        handled_by=actor,
    )
    call.save()
    return call
