"""Day and month bounds in the mall's local time (Asia/Shanghai). Every
"today", "this month" and "that day" in a query comes from here, so a
record at 23:30 local time is counted on its own day, not the UTC one."""

from __future__ import annotations

import datetime

from django.utils import timezone


def local_date(moment: datetime.datetime | None = None) -> datetime.date:
    """The local calendar day of `moment` (now by default)."""
    return timezone.localdate(moment or timezone.now())


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local calendar day, as aware datetimes."""
    start = datetime.datetime.combine(day, datetime.time(0), timezone.get_current_timezone())
    return start, start + datetime.timedelta(days=1)


def today_bounds(
    now: datetime.datetime | None = None,
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the local day `now` falls in."""
    return day_bounds(local_date(now))


def month_days(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of `month`'s calendar month."""
    first = month.replace(day=1)
    next_first = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, next_first - datetime.timedelta(days=1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of `month`'s calendar month in local time."""
    first, last = month_days(month)
    return day_bounds(first)[0], day_bounds(last)[1]
