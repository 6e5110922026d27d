"""Calendar months for tier reviews and points validity, in local time."""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months`, kept inside the target month: 2024-02-29
    plus 12 months is 2025-02-28 (PostgreSQL's `date + interval` does the same)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of `day` in the mall's time zone (Asia/Shanghai), aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
