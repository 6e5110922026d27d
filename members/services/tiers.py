"""The nightly tier evaluation (会员等级自动升降), set-based SQL: the rules
it applies, and why it is idempotent, are described in `members.tiers`."""

from __future__ import annotations

import datetime
from typing import Any

import pghistory
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mallservice.models import Mall
from mallservice.services import system_actor_id
from members.models import Tier, TierReviewRun
from members.tiers import REVIEW_MONTHS, spend_since

# The history rows of automatic changes carry this reason code.
REASON = "automatic"


# Spend per member since %(since)s: earn lines of the member and of the
# duplicates merged into them.
_SPEND = """
    SELECT COALESCE(src.merged_into_id, src.id) AS member_id, e.amount, e.at
    FROM members_pointsentry e
    JOIN members_member src ON src.id = e.member_id
    WHERE e.mall_id = %(mall)s AND e.kind = 'earn' AND e.amount IS NOT NULL
      AND e.at >= %(since)s AND e.at <= %(now)s
"""


UPGRADE_SQL = f"""
WITH spend AS ({_SPEND}),
totals AS (
    SELECT m.id, m.tier_id, SUM(s.amount) AS spend
    FROM members_member m
    JOIN spend s ON s.member_id = m.id
    WHERE m.mall_id = %(mall)s AND m.status = 'active'
      AND (m.tier_set_by_hand_at IS NULL OR s.at > m.tier_set_by_hand_at)
    GROUP BY m.id, m.tier_id
),
target AS (
    SELECT t.id, t.tier_id AS old_tier_id, up.id AS new_tier_id
    FROM totals t
    LEFT JOIN members_tier cur ON cur.id = t.tier_id
    CROSS JOIN LATERAL (
        SELECT nt.id FROM members_tier nt
        WHERE nt.mall_id = %(mall)s AND nt.upgrade_threshold > 0
          AND nt.upgrade_threshold <= t.spend AND nt.rank > COALESCE(cur.rank, -1)
        ORDER BY nt.rank DESC
        LIMIT 1
    ) up
)
UPDATE members_member m
SET tier_id = target.new_tier_id, tier_changed_at = %(now)s
FROM target
WHERE m.id = target.id AND m.status = 'active'
  AND m.tier_id IS NOT DISTINCT FROM target.old_tier_id
RETURNING m.id
"""


# Members whose review falls in (from_day, today]: the latest anniversary of
# the anchor on or before today, if it is after the previous run's day.
REVIEW_SQL = """
WITH due AS (
    SELECT m.id, m.tier_id, cur.rank, cur.keep_threshold
    FROM members_member m
    JOIN members_tier cur ON cur.id = m.tier_id
    CROSS JOIN LATERAL (
        SELECT (COALESCE(m.tier_changed_at, m.registered_at) AT TIME ZONE %(tz)s)::date AS anchor
    ) a
    CROSS JOIN LATERAL (
        SELECT age(%(today)s::date, a.anchor) AS span
    ) g
    CROSS JOIN LATERAL (
        SELECT (a.anchor + make_interval(months => %(review)s * (
            (extract(year FROM g.span) * 12 + extract(month FROM g.span))::int / %(review)s
        )))::date AS last_review
    ) r
    WHERE m.mall_id = %(mall)s AND m.status = 'active'
      AND r.last_review > a.anchor
      AND r.last_review > %(from_day)s AND r.last_review <= %(today)s
),
sources AS (
    SELECT d.id AS member_id, d.id AS source_id FROM due d
    UNION ALL
    SELECT d.id, src.id FROM due d JOIN members_member src ON src.merged_into_id = d.id
),
spend AS (
    SELECT s.member_id, COALESCE(SUM(e.amount), 0) AS spend
    FROM sources s
    LEFT JOIN members_pointsentry e
      ON e.member_id = s.source_id AND e.kind = 'earn' AND e.amount IS NOT NULL
     AND e.at >= %(since)s AND e.at <= %(now)s
    GROUP BY s.member_id
),
target AS (
    SELECT d.id, d.tier_id AS old_tier_id, down.id AS new_tier_id
    FROM due d
    JOIN spend s ON s.member_id = d.id
    CROSS JOIN LATERAL (
        SELECT nt.id FROM members_tier nt
        WHERE nt.mall_id = %(mall)s AND nt.rank < d.rank
        -- the highest lower tier whose keep threshold is met, else the lowest
        ORDER BY (nt.keep_threshold <= s.spend) DESC,
                 CASE WHEN nt.keep_threshold <= s.spend THEN -nt.rank ELSE nt.rank END
        LIMIT 1
    ) down
    WHERE s.spend < d.keep_threshold
),
moved AS (
    UPDATE members_member m
    SET tier_id = target.new_tier_id, tier_changed_at = %(now)s
    FROM target
    WHERE m.id = target.id AND m.status = 'active' AND m.tier_id = target.old_tier_id
    RETURNING m.id
)
SELECT (SELECT count(*) FROM due), (SELECT count(*) FROM moved)
"""


@transaction.atomic
def tiers_evaluate_mall(*, mall: Mall, now: datetime.datetime | None = None) -> TierReviewRun:
    """Move one mall's members up and down by the rules above, set-based,
    and record the run. Side effects: member rows updated (history rows with
    reason "automatic" and the system actor), one TierReviewRun row."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Serialises two runs for one mall (two beats, a rerun) and holds the
    # thresholds still while they are applied.
    tiers = list(Tier.objects.select_for_update(no_key=True).filter(mall=mall).order_by("pk"))
    run = TierReviewRun(mall=mall, day=today, at=now)
    if not tiers:
        run.save()
        return run
    last_day = (
        TierReviewRun.objects.filter(mall=mall).order_by("-day").values_list("day", flat=True)
    ).first()
    params: dict[str, Any] = {
        "mall": mall.pk,
        "now": now,
        "since": spend_since(today),
        "today": today,
        "from_day": last_day or today - datetime.timedelta(days=1),
        "review": REVIEW_MONTHS,
        "tz": settings.TIME_ZONE,
    }
    with (
        pghistory.context(user=system_actor_id(), reason=REASON),
        connection.cursor() as cursor,
    ):
        cursor.execute(UPGRADE_SQL, params)
        run.upgraded = len(cursor.fetchall())
        if params["from_day"] < today:
            cursor.execute(REVIEW_SQL, params)
            run.reviewed, run.downgraded = cursor.fetchone()
    run.save()
    return run


def tiers_evaluate(*, now: datetime.datetime | None = None) -> list[TierReviewRun]:
    """The nightly evaluation: every mall with tiers, each in its own transaction."""
    now = now or timezone.now()
    malls = Mall.objects.filter(pk__in=Tier.objects.values("mall_id")).order_by("pk")
    return [tiers_evaluate_mall(mall=mall, now=now) for mall in malls]
