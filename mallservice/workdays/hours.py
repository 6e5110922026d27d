"""Opening hours day by day, and the SLA arithmetic on them.

A mall's clock runs in its usual hours (`Mall.opens_at`–`closes_at`) except
on its days of other hours (`MallDayHours`): closed (除夕), a promotion night
until 02:00, 春节 hours. Everything takes aware datetimes and returns them
in the zone of the hours.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings

from mallservice.models import Mall
from mallservice.workdays.models import MallDayHours

LOCAL_TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
ONE_DAY = datetime.timedelta(days=1)

# A day's own hours: (opens, closes), or None when the mall is closed.
DayHours = tuple[datetime.time, datetime.time] | None


@dataclass(frozen=True)
class OpeningHours:
    """When the clock runs: every day between `opens_at` and `closes_at`
    (local time) unless `days` gives the day its own hours. `always` runs it
    round the clock (safety complaints are "handled at once", so their clock
    does not wait for the mall to open)."""

    opens_at: datetime.time
    closes_at: datetime.time
    always: bool = False
    tz: datetime.tzinfo = LOCAL_TZ
    days: Mapping[datetime.date, DayHours] = field(default_factory=dict, compare=False)

    @classmethod
    def round_the_clock(cls) -> OpeningHours:
        return cls(datetime.time(0), datetime.time(0), always=True)

    def window(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """[open, close) of the opening that starts on `day`; empty when
        the mall is closed. A closing time at or before the opening time is
        after midnight."""
        if self.always:
            start = datetime.datetime.combine(day, datetime.time(0), self.tz)
            return start, start + ONE_DAY
        opens, closes = self.opens_at, self.closes_at
        if day in self.days:
            own = self.days[day]
            if own is None:
                start = datetime.datetime.combine(day, opens, self.tz)
                return start, start
            opens, closes = own
        start = datetime.datetime.combine(day, opens, self.tz)
        end = datetime.datetime.combine(day, closes, self.tz)
        return start, end + ONE_DAY if end <= start else end


def opening_intervals(
    start: datetime.datetime, end: datetime.datetime, hours: OpeningHours
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The open stretches within [start, end), in order."""
    if end <= start:
        return []
    if hours.always:
        return [(start, end)]
    found = []
    # From the day before: last night's opening may run past midnight.
    day = start.astimezone(hours.tz).date() - ONE_DAY
    last = end.astimezone(hours.tz).date()
    while day <= last:
        opens, closes = hours.window(day)
        lo, hi = max(start, opens), min(end, closes)
        if hi > lo:
            found.append((lo, hi))
        day += ONE_DAY
    return found


def business_minutes_between(
    start: datetime.datetime, end: datetime.datetime, hours: OpeningHours
) -> int:
    """Whole minutes of opening time in [start, end); 0 if end <= start."""
    total = sum((hi - lo).total_seconds() for lo, hi in opening_intervals(start, end, hours))
    return int(total // 60)


def add_business_minutes(
    start: datetime.datetime, minutes: int, hours: OpeningHours
) -> datetime.datetime:
    """The moment `minutes` of opening time after `start`. A clock started
    after closing (or on a closed day) begins at the next opening."""
    if hours.always:
        return start + datetime.timedelta(minutes=minutes)
    remaining = datetime.timedelta(minutes=max(minutes, 0))
    day = start.astimezone(hours.tz).date() - ONE_DAY
    # 3,660 days bounds the loop even for absurd targets.
    for _ in range(3660):
        opens, closes = hours.window(day)
        begin = max(start, opens)
        if begin < closes:
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += ONE_DAY
    raise ValueError("SLA target too far in the future")


def mall_opening_hours(mall: Mall, *, since: datetime.datetime) -> OpeningHours:
    """The mall's opening hours with its own days from the day before
    `since` on (one query)."""
    first = since.astimezone(LOCAL_TZ).date() - ONE_DAY
    days: dict[datetime.date, DayHours] = {
        row.day: None if row.closed else (row.opens_at, row.closes_at)
        for row in MallDayHours.objects.filter(mall=mall, day__gte=first)
    }
    return OpeningHours(opens_at=mall.opens_at, closes_at=mall.closes_at, days=days)


def mall_open_intervals(
    mall: Mall, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The mall's open stretches between two instants, its own days counted."""
    return opening_intervals(start, end, mall_opening_hours(mall, since=start))
