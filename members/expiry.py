"""Points expiry (积分过期), written every night by beat.

The rule: points are valid for MEMBERS_POINTS_VALID_MONTHS (24) months —
points earned on 2025-03-15 can be used through 2027-03-15 and expire at the
start of 2027-03-16. Every positive ledger line is a lot (a receipt, a
positive adjustment, the points moved in by a merge, dated by that merge);
redemptions and other negative lines use the oldest points first (FIFO).

FIFO makes the amount due a sum, not a walk over lots: whatever was taken
out so far (redemptions, negative adjustments, earlier expiries) came from
the oldest lots, so what is left of the lots older than the cut-off is

    max(0, points earned before the cut-off + every negative line)

which the nightly run writes as one `expire` line per member. The balance
always equals the ledger's sum: each line is written under the member's row
lock, like every other ledger line, with `balance_after` from the locked row.
The nightly run is a service: `members.services.expiry`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from members.models import PointsEntry
from members.months import add_months, local_midnight

VALID_MONTHS = getattr(settings, "MEMBERS_POINTS_VALID_MONTHS", 24)
# The member page warns about points expiring within this many days.
NOTICE_DAYS = getattr(settings, "MEMBERS_POINTS_EXPIRY_NOTICE_DAYS", 90)


def expiry_cutoff(day: datetime.date) -> datetime.datetime:
    """Points earned before this instant have expired on `day`."""
    return local_midnight(add_months(day, -VALID_MONTHS))


def last_valid_day(earned_at: datetime.datetime) -> datetime.date:
    """The last day points earned at `earned_at` can be used."""
    return add_months(timezone.localdate(earned_at), VALID_MONTHS)


def left_before(cutoff: datetime.datetime) -> Sum:
    """Per member: what is left of the lots earned before `cutoff` (before
    the max(0, …)): every negative line plus every positive one before it."""
    return Sum(
        Case(
            When(Q(points__lt=0) | Q(at__lt=cutoff), then=F("points")),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def members_with_points_expiring(*, mall_id: int, day: datetime.date, days: int) -> QuerySet:
    """Ids of the mall's members with points that expire within `days` days
    of `day` (last valid day on or before day + days), for a campaign segment."""
    cutoff = expiry_cutoff(day + datetime.timedelta(days=days + 1))
    return (
        PointsEntry.objects.filter(mall_id=mall_id)
        .values("member_id")
        .annotate(left=left_before(cutoff))
        .filter(left__gt=0)
        .values("member_id")
    )
