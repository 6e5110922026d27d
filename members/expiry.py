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
lock, like every other ledger line, with `balance_after` from the locked row."""

from __future__ import annotations

import datetime
from typing import Any

import pghistory
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from mallservice.services import system_actor_id
from members.models import PointsEntry
from members.months import add_months, local_midnight

VALID_MONTHS = getattr(settings, "MEMBERS_POINTS_VALID_MONTHS", 24)
# The member page warns about points expiring within this many days.
NOTICE_DAYS = getattr(settings, "MEMBERS_POINTS_EXPIRY_NOTICE_DAYS", 90)
BATCH = 2000
# The history rows of the balance changes carry this reason code.
REASON = "points_expiry"


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


# One statement per batch, the batch's member rows locked beforehand: the due
# amount, the expire lines and the balances, from the locked rows.
EXPIRE_SQL = """
WITH due AS (
    SELECT m.id, m.mall_id, m.points_balance,
           LEAST(m.points_balance, GREATEST(0, SUM(
               CASE WHEN e.points < 0 OR e.at < %(cutoff)s THEN e.points ELSE 0 END
           ))) AS points
    FROM members_member m
    JOIN members_pointsentry e ON e.member_id = m.id
    WHERE m.id = ANY(%(ids)s) AND m.status = 'active'
    GROUP BY m.id
),
lines AS (
    INSERT INTO members_pointsentry
        (mall_id, member_id, kind, points, balance_after, actor_id, at, receipt_no, reason)
    SELECT mall_id, id, 'expire', -points, points_balance - points, %(actor)s, %(now)s, '', ''
    FROM due WHERE points > 0
    RETURNING member_id, points
)
UPDATE members_member m
SET points_balance = m.points_balance + lines.points
FROM lines
WHERE m.id = lines.member_id
RETURNING -lines.points
"""

CANDIDATES_SQL = """
SELECT e.member_id
FROM members_pointsentry e
JOIN members_member m ON m.id = e.member_id
WHERE m.points_balance > 0 AND m.status = 'active'
GROUP BY e.member_id
HAVING SUM(CASE WHEN e.points < 0 OR e.at < %(cutoff)s THEN e.points ELSE 0 END) > 0
ORDER BY e.member_id
"""


def points_expire_due(
    *, now: datetime.datetime | None = None, actor_id: int | None = None
) -> dict[str, Any]:
    """The nightly expiry: one `expire` ledger line for every member with
    points past their validity, in batches of BATCH members, each batch in
    its own transaction with its member rows locked in id order (as merges
    lock them, so no deadlock). Running it again the same day finds nothing.
    Side effects: ledger lines by the system actor, balances lowered (member
    history rows with reason "points_expiry")."""
    now = now or timezone.now()
    cutoff = expiry_cutoff(timezone.localdate(now))
    actor_id = actor_id or system_actor_id()
    with connection.cursor() as cursor:
        cursor.execute(CANDIDATES_SQL, {"cutoff": cutoff})
        candidates = [row[0] for row in cursor.fetchall()]
    members = points = 0
    for start in range(0, len(candidates), BATCH):
        ids = candidates[start : start + BATCH]
        with (
            transaction.atomic(),
            pghistory.context(user=actor_id, reason=REASON),
            connection.cursor() as cursor,
        ):
            # A desk earning or redeeming for one of these members waits here,
            # and the amounts below are computed from what it committed.
            cursor.execute(
                "SELECT id FROM members_member WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids]
            )
            cursor.execute(
                EXPIRE_SQL, {"ids": ids, "cutoff": cutoff, "actor": actor_id, "now": now}
            )
            expired = [row[0] for row in cursor.fetchall()]
        members += len(expired)
        points += sum(expired)
    return {"members": members, "points": points}
