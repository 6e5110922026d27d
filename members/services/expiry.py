"""The nightly points expiry (积分过期): one `expire` ledger line per member
with points past their validity. The rule (FIFO lots, why the amount due is
a sum) is described in `members.expiry`."""

from __future__ import annotations

import datetime
from typing import Any

import pghistory
from django.db import connection, transaction
from django.utils import timezone

from mallservice.services import system_actor_id
from members.expiry import expiry_cutoff

BATCH = 2000


# The history rows of the balance changes carry this reason code.
REASON = "points_expiry"


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
