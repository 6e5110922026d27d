"""What every complaints service shares: the clock (`now` is injectable so
SLA arithmetic is testable at fixed times), the row lock, and the timeline
event written in the same transaction as the change it records."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from complaints.models import Activity, Complaint, FaultReport
from mallservice.models import User

Event = Activity.Code


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _event(
    case: Complaint | FaultReport,
    code: str,
    *,
    actor: User | None,
    now: datetime.datetime,
    text: str = "",
    **data: Any,
) -> Activity:
    """One timeline row of a case: a complaint or a fault report."""
    owner = {"fault": case} if isinstance(case, FaultReport) else {"complaint": case}
    return Activity.objects.create(
        mall_id=case.mall_id,
        **owner,
        at=now,
        code=code,
        actor=actor,
        text=text,
        data=data,
    )


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("mall").get(pk=complaint.pk)
