"""A complaint's legal deadline: the public channel's rule (the mall's
city's own, else the national default in `complaints.models.legal`)
counted in working days on the group's calendar, and when the legal rung
of the escalation ladder fires before it runs out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from complaints.models import DEFAULT_LEGAL_DAYS, LegalClockRule
from complaints.models.legal import DEFAULT_WARN_DAYS
from mallservice.models import Mall
from mallservice.workdays.calendar import WorkCalendar, work_calendar
from mallservice.workdays.hours import LOCAL_TZ


@dataclass(frozen=True)
class LegalClock:
    working_days: int
    due_on: datetime.date  # the last working day
    escalate_at: datetime.datetime  # the legal rung's due time


def legal_rule(mall: Mall, channel: str) -> tuple[int, int] | None:
    """(working days, warn days) of the channel at the mall's city, or None
    for a channel without a legal clock. One query."""
    rules = {
        rule.city: rule
        for rule in LegalClockRule.objects.filter(channel=channel, city__in={mall.city, ""})
    }
    rule = rules.get(mall.city) or rules.get("")
    if rule is not None:
        return rule.working_days, rule.warn_days
    if channel in DEFAULT_LEGAL_DAYS:
        return DEFAULT_LEGAL_DAYS[channel], DEFAULT_WARN_DAYS
    return None


def legal_clock(
    mall: Mall,
    channel: str,
    received_at: datetime.datetime,
    *,
    calendar: WorkCalendar | None = None,
) -> LegalClock | None:
    """The legal deadline of a complaint received at `received_at` through
    `channel`: the N-th working day after the day of receipt (that day is
    not counted), and the legal rung at the mall's opening on the working
    day `warn` days before it. None for a channel without a legal clock."""
    rule = legal_rule(mall, channel)
    if rule is None:
        return None
    days, warn = rule
    calendar = calendar or work_calendar()
    received = timezone.localdate(received_at)
    due_on = calendar.add_working_days(received, days)
    warn_on = calendar.add_working_days(received, max(days - warn, 0))
    escalate_at = datetime.datetime.combine(warn_on, mall.opens_at, LOCAL_TZ)
    return LegalClock(working_days=days, due_on=due_on, escalate_at=max(escalate_at, received_at))
