"""The SLA of a case, asked in one place: `plan(mall, severity, tier, start)`
gives a case's opening hours, targets, due times and escalation ladder, and
serves intake, reopen, fault reports and the resume after a pause.

Below it the clock is pure functions on datetimes (pauses, targets, the
ladder) over the kernel's opening hours (`mallservice.workdays.hours`: the
mall's usual hours and its days of other hours — closed on 除夕, a
promotion night, 春节 hours), free of any model: fault reports (issue 10) are "a
case with a different intake and no customer callback" and reuse it with
their own rows. Everything takes aware datetimes and returns aware
datetimes in the same zone as the opening hours.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Max, Min, Q

from complaints.models import Severity, SlaPolicy
from mallservice.models import Mall
from mallservice.workdays.hours import (
    OpeningHours,
    add_business_minutes,
    business_minutes_between,
    mall_opening_hours,
)
from members.models import Tier


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
# are VIP the members app's tier order decides (`tier_is_vip`).
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


# -- a mall's plan for a case --------------------------------------------------


def opening_hours(mall: Mall, severity: str, *, since: datetime.datetime) -> OpeningHours:
    """When a case's clock runs: the mall's opening hours from `since` on,
    its days of other hours included (one query); safety is handled at
    once, so its clock runs round the clock."""
    if severity == Severity.SAFETY:
        return OpeningHours.round_the_clock()
    return mall_opening_hours(mall, since=since)


def tier_is_vip(mall: Mall, code: str) -> bool:
    """VIP comes from the members app's tier order (a tier's `rank`, higher
    is better): any tier of the mall ranked above its base tier, the
    lowest-ranked one that new members get. An unknown or empty code is not
    VIP. One query."""
    if not code:
        return False
    ranks = Tier.objects.filter(mall=mall).aggregate(
        base=Min("rank"), rank=Max("rank", filter=Q(code=code))
    )
    return ranks["rank"] is not None and ranks["rank"] > ranks["base"]


def mall_targets(mall: Mall, severity: str, tier: str) -> Targets:
    """The SLA targets of a case of this severity and member tier code: the
    mall's own policy rows win, else the defaults, tightened for VIP."""
    overrides = {
        (p.severity, p.tier): Targets(
            p.response_minutes, p.resolution_minutes, p.warn_before_minutes
        )
        for p in SlaPolicy.objects.filter(mall=mall, severity=severity)
    }
    vip = bool(tier) and (severity, tier) not in overrides and tier_is_vip(mall, tier)
    return targets_for(severity, tier, vip=vip, overrides=overrides)


def targets_capped(goal: Targets, minutes: int | None) -> Targets:
    """`goal` shortened to at most `minutes` to resolution (a fault route's
    own time), the response and the warning shortened with it."""
    if not minutes:
        return goal
    minutes = min(minutes, goal.resolution_minutes)
    return Targets(
        response_minutes=min(goal.response_minutes, minutes),
        resolution_minutes=minutes,
        warn_before_minutes=min(goal.warn_before_minutes, max(minutes // 2, 1)),
    )


class Plan:
    """The SLA of one case from `start` (its intake, or a complaint's
    reopen). The opening hours (the mall's days of other hours) and the
    targets (the mall's policy rows, the tier order) are each read once,
    when first asked."""

    def __init__(
        self,
        mall: Mall,
        severity: str,
        tier: str,
        start: datetime.datetime,
        *,
        resolution_minutes: int | None = None,
        since: datetime.datetime | None = None,
    ) -> None:
        self.mall, self.severity, self.tier, self.start = mall, severity, tier, start
        self.resolution_minutes = resolution_minutes
        # The earliest moment the clock is asked about (a pause's start).
        self.since = min(since or start, start)

    @cached_property
    def hours(self) -> OpeningHours:
        return opening_hours(self.mall, self.severity, since=self.since)

    @cached_property
    def targets(self) -> Targets:
        goal = mall_targets(self.mall, self.severity, self.tier)
        return targets_capped(goal, self.resolution_minutes)

    @property
    def response_due_at(self) -> datetime.datetime:
        return add_business_minutes(self.start, self.targets.response_minutes, self.hours)

    @property
    def resolution_due_at(self) -> datetime.datetime:
        return add_business_minutes(self.start, self.targets.resolution_minutes, self.hours)

    def ladder(self) -> dict[str, datetime.datetime]:
        """When each escalation rung fires (warning, supervisor, manager)."""
        return escalation_plan(start=self.start, targets=self.targets, hours=self.hours)

    def minutes_between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        return business_minutes_between(start, end, self.hours)

    def shift(
        self, due: datetime.datetime, *, paused_at: datetime.datetime, resumed_at: datetime.datetime
    ) -> datetime.datetime:
        """`due` moved on by the opening time spent paused."""
        return shift_after_pause(due, paused_at=paused_at, resumed_at=resumed_at, hours=self.hours)


def plan(
    mall: Mall,
    severity: str,
    tier: str,
    start: datetime.datetime,
    *,
    resolution_minutes: int | None = None,
    since: datetime.datetime | None = None,
) -> Plan:
    """The SLA of a case of `mall` with this severity and member tier code,
    its clock starting at `start`. `resolution_minutes` caps the resolution
    target (a fault route's own time); `since` is the earliest moment the
    plan is asked about, when before `start` (a pause's start)."""
    return Plan(mall, severity, tier, start, resolution_minutes=resolution_minutes, since=since)
