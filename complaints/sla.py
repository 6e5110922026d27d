"""The SLA clock, free of any model: opening hours, pauses, targets and the
escalation ladder as pure functions on datetimes.

Kept apart from `Complaint` on purpose: fault reports (issue 10) are "a case
with a different intake and no customer callback" and reuse this module with
their own rows. Everything here takes aware datetimes and returns aware
datetimes in the same zone as the opening hours.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings

LOCAL_TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class OpeningHours:
    """When the clock runs: every day between `opens_at` and `closes_at`
    (local time). `always` runs it round the clock (safety complaints are
    "handled at once", so their clock does not wait for the mall to open)."""

    opens_at: datetime.time
    closes_at: datetime.time
    always: bool = False
    tz: datetime.tzinfo = LOCAL_TZ

    @classmethod
    def round_the_clock(cls) -> OpeningHours:
        return cls(datetime.time(0), datetime.time(0), always=True)

    def window(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        if self.always:
            start = datetime.datetime.combine(day, datetime.time(0), self.tz)
            return start, start + datetime.timedelta(days=1)
        return (
            datetime.datetime.combine(day, self.opens_at, self.tz),
            datetime.datetime.combine(day, self.closes_at, self.tz),
        )


def business_minutes_between(
    start: datetime.datetime, end: datetime.datetime, hours: OpeningHours
) -> int:
    """Whole minutes of opening time in [start, end); 0 if end <= start."""
    if end <= start:
        return 0
    if hours.always:
        return int((end - start).total_seconds() // 60)
    total = 0.0
    day = start.astimezone(hours.tz).date()
    last = end.astimezone(hours.tz).date()
    while day <= last:
        opens, closes = hours.window(day)
        lo, hi = max(start, opens), min(end, closes)
        if hi > lo:
            total += (hi - lo).total_seconds()
        day += datetime.timedelta(days=1)
    return int(total // 60)


def add_business_minutes(
    start: datetime.datetime, minutes: int, hours: OpeningHours
) -> datetime.datetime:
    """The moment `minutes` of opening time after `start`. A clock started
    after closing begins at the next opening."""
    if hours.always:
        return start + datetime.timedelta(minutes=minutes)
    remaining = datetime.timedelta(minutes=max(minutes, 0))
    day = start.astimezone(hours.tz).date()
    # 3,660 days bounds the loop even for absurd targets.
    for _ in range(3660):
        opens, closes = hours.window(day)
        begin = max(start, opens)
        if begin < closes:
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += datetime.timedelta(days=1)
    raise ValueError("SLA target too far in the future")


def shift_after_pause(
    due: datetime.datetime,
    *,
    paused_at: datetime.datetime,
    resumed_at: datetime.datetime,
    hours: OpeningHours,
) -> datetime.datetime:
    """A due time moved on by the opening time spent paused: the time left
    when the clock stopped is what is left when it restarts."""
    left = business_minutes_between(paused_at, due, hours)
    if due <= paused_at:
        return due  # already overdue when paused: a pause does not forgive it
    return add_business_minutes(resumed_at, left, hours)


# -- targets -----------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """Minutes of opening time to first response and to resolution, and how
    long before a breach the handler is warned."""

    response_minutes: int
    resolution_minutes: int
    warn_before_minutes: int


# Defaults when a mall has no policy row. Safety: "handled at once".
DEFAULT_TARGETS: dict[str, Targets] = {
    "normal": Targets(response_minutes=120, resolution_minutes=24 * 60, warn_before_minutes=120),
    "urgent": Targets(response_minutes=30, resolution_minutes=8 * 60, warn_before_minutes=60),
    "safety": Targets(response_minutes=10, resolution_minutes=2 * 60, warn_before_minutes=30),
}
# A VIP tier's targets are the severity's multiplied by this. Which tiers
# are VIP the members app's tier order decides (`services.desk.tier_is_vip`).
VIP_FACTOR = 0.5


def targets_for(
    severity: str,
    tier: str = "",
    *,
    vip: bool = False,
    overrides: dict[tuple[str, str], Targets] | None = None,
) -> Targets:
    """The targets for a severity and member tier code. A mall's own rows
    (`overrides`, keyed by (severity, tier) with "" for any tier) win; else a
    VIP tier (`vip`) tightens the severity's targets."""
    overrides = overrides or {}
    if (severity, tier) in overrides and tier:
        return overrides[(severity, tier)]
    base = overrides.get((severity, "")) or DEFAULT_TARGETS.get(severity, DEFAULT_TARGETS["normal"])
    if vip:
        return Targets(
            response_minutes=max(1, int(base.response_minutes * VIP_FACTOR)),
            resolution_minutes=max(1, int(base.resolution_minutes * VIP_FACTOR)),
            warn_before_minutes=max(1, int(base.warn_before_minutes * VIP_FACTOR)),
        )
    return base


# -- escalation ladder -------------------------------------------------------

WARNING = "warning"
SUPERVISOR = "supervisor"
MANAGER = "manager"


def escalation_plan(
    *, start: datetime.datetime, targets: Targets, hours: OpeningHours
) -> dict[str, datetime.datetime]:
    """When each rung fires for a case started at `start`: a warning before
    the resolution breach, the supervisor at breach, the manager at 2×."""
    breach = add_business_minutes(start, targets.resolution_minutes, hours)
    warn_offset = max(targets.resolution_minutes - targets.warn_before_minutes, 0)
    return {
        WARNING: add_business_minutes(start, warn_offset, hours),
        SUPERVISOR: breach,
        MANAGER: add_business_minutes(start, 2 * targets.resolution_minutes, hours),
    }
