"""Follow-up campaigns over two years, their call tasks and attempts."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from bench.data import scaled
from bench.data.members.people import FIRST_MALL_SHARE, max_id

CALL_TASKS = 1_000_000
PROMOTIONS = [  # (name, days before today it ended)
    ("春节大促通知", 660),
    ("五一大促通知", 570),
    ("店庆大促通知", 400),
    ("双十一大促通知", 20),
    ("年中大促通知", 160),
]


def _campaign_specs(today: datetime.date) -> list[dict[str, Any]]:
    start = today - datetime.timedelta(days=730)
    specs = [
        {
            "name": "VIP 季度回访",
            "kind": "periodic",
            "rank": 3,
            "period_days": 90,
            "starts_on": start,
            "share": 0.25,
            "script": "您好，我是客服中心的工作人员，感谢您一直以来的支持。请问最近购物体验如何？",
        },
        {
            "name": "积分换购温馨提醒",
            "kind": "points",
            "min_balance": 1000,
            "period_days": 30,
            "starts_on": start,
            "share": 0.25,
            "script": "您好，您的积分可以在客服台换购礼品，欢迎前来。",
        },
        {
            "name": "会员生日祝福",
            "kind": "birthday",
            "rank": 2,
            "period_days": 30,
            "starts_on": start,
            "share": 0.15,
            "script": "您好，祝您生日快乐！生日当月到客服台可领取一份小礼物。",
        },
    ]
    for name, ago in PROMOTIONS:
        ends = today - datetime.timedelta(days=ago)
        specs.append(
            {
                "name": f"{ends.year}{name}",
                "kind": "promotion",
                "rank": 2,
                "period_days": 30,
                "starts_on": ends - datetime.timedelta(days=10),
                "ends_on": ends,
                "share": 0.35 / len(PROMOTIONS),
                "script": f"您好，{ends.year}年{name[:-2]}即将开始，VIP会员可享额外优惠。",
            }
        )
    return specs


STRIDES = [7919, 104729, 1299709, 15485863]


def create_calls(cursor, *, mall_ids: list[int], now: datetime.datetime) -> int:
    """Campaigns and their call tasks: per campaign and period, members of
    its segment picked by a stride coprime to the segment's size (unique per
    campaign, member and period as the planner's constraint wants), due over
    the period's first week; past calls closed, recent ones partly open."""
    from members.models import Campaign

    today = timezone.localdate(now)
    base_task = max_id(cursor, "members_calltask")
    cursor.execute(
        "CREATE TEMP TABLE bench_task (campaign_id bigint, m int, mall_id bigint,"
        " member_id bigint, period date, n bigint, k int, window_start time) ON COMMIT DROP"
    )
    total_target = scaled(CALL_TASKS)
    for m, mall_id in enumerate(mall_ids):
        mall_target = total_target * (FIRST_MALL_SHARE if m == 0 else 1 - FIRST_MALL_SHARE)
        for spec in _campaign_specs(today):
            campaign = Campaign.objects.create(
                mall_id=mall_id,
                name=spec["name"],
                kind=spec["kind"],
                script=spec["script"],
                min_tier_id=_tier_id(cursor, mall_id, spec.get("rank")),
                min_balance=spec.get("min_balance", 0),
                period_days=spec["period_days"],
                starts_on=spec["starts_on"],
                ends_on=spec.get("ends_on"),
            )
            cursor.execute(
                """
                CREATE TEMP TABLE bench_seg ON COMMIT DROP AS
                SELECT row_number() OVER (ORDER BY x.id) - 1 AS rn, x.id AS member_id
                FROM members_member x JOIN bench_m m ON m.id = x.id
                WHERE x.mall_id = %(mall)s AND x.consent_callback AND NOT x.do_not_call
                  AND m.rank >= %(rank)s AND x.points_balance >= %(balance)s
                """,
                {"mall": mall_id, "rank": spec.get("rank", 1), "balance": campaign.min_balance},
            )
            cursor.execute("CREATE INDEX ON bench_seg (rn)")
            cursor.execute("SELECT count(*) FROM bench_seg")
            size = cursor.fetchone()[0]
            end = min(today, campaign.ends_on or today)
            periods = (end - campaign.starts_on).days // campaign.period_days + 1
            per_period = min(size, round(mall_target * spec["share"] / periods))
            if per_period > 0:
                stride = next(s for s in STRIDES if size % s)
                cursor.execute(
                    """
                    INSERT INTO bench_task (campaign_id, m, mall_id, member_id, period, n, k,
                                            window_start)
                    SELECT %(campaign)s, %(m)s, %(mall)s, s.member_id,
                           %(starts)s::date + p.k * %(days)s, n.n, p.k, '10:00'
                    FROM generate_series(0, %(periods)s - 1) p(k)
                    CROSS JOIN generate_series(0, %(per)s - 1) n(n)
                    JOIN bench_seg s ON s.rn = (n.n * %(stride)s + p.k * %(per)s) %% %(size)s
                    """,
                    {
                        "campaign": campaign.pk,
                        "m": m,
                        "mall": mall_id,
                        "starts": campaign.starts_on,
                        "days": campaign.period_days,
                        "periods": periods,
                        "per": per_period,
                        "stride": stride,
                        "size": size,
                    },
                )
            cursor.execute("DROP TABLE bench_seg")
    params = {"now": now, "tz": settings.TIME_ZONE, "base": base_task}
    cursor.execute(
        """
        CREATE TEMP TABLE bench_call ON COMMIT DROP AS
        WITH numbered AS (
            SELECT campaign_id, m, mall_id, member_id, period, n, k, window_start,
                   %(base)s + row_number() OVER (ORDER BY period, campaign_id, n) AS id
            FROM bench_task
        ),
        d AS (
            SELECT t.*,
                   ((t.period + (t.n %% 7)::int)::timestamp + t.window_start
                     + pg_temp.rnd(t.id, 500) * interval '9 hours 30 minutes') AT TIME ZONE %(tz)s
                     AS due_at,
                   pg_temp.rnd(t.id, 501) AS r,
                   p.user_id AS assignee_id
            FROM numbered t
            JOIN bench_sizes z ON z.m = t.m
            JOIN bench_pool p ON p.m = t.m AND p.k = (t.n + t.k) %% z.pool
        )
        SELECT d.*,
            CASE
                WHEN due_at < %(now)s - interval '7 days' THEN
                    CASE WHEN r < 0.80 THEN 'done' WHEN r < 0.95 THEN 'gave_up' ELSE 'cancelled' END
                WHEN due_at < %(now)s THEN
                    CASE WHEN r < 0.60 THEN 'done' WHEN r < 0.70 THEN 'gave_up' ELSE 'pending' END
                ELSE 'pending' END AS status
        FROM d
        """,
        params,
    )
    cursor.execute(
        """
        INSERT INTO members_calltask (id, mall_id, campaign_id, member_id, period, origin, due_at,
            assignee_id, status, attempts, last_outcome, closed_at, parent_id)
        SELECT id, mall_id, campaign_id, member_id, period, 'planned', due_at, assignee_id, status,
            CASE status WHEN 'done' THEN 1 + (r * 100)::int %% 2
                        WHEN 'gave_up' THEN CASE WHEN r < 0.93 THEN 3 ELSE 1 END
                        WHEN 'pending' THEN CASE WHEN due_at < %(now)s AND r > 0.85 THEN 1 ELSE 0 END
                        ELSE 0 END,
            CASE status WHEN 'done' THEN CASE WHEN r < 0.7 THEN 'connected' ELSE 'refused' END
                        WHEN 'gave_up' THEN CASE WHEN r < 0.93 THEN 'no_answer' ELSE 'wrong_number' END
                        WHEN 'pending' THEN CASE WHEN due_at < %(now)s AND r > 0.85 THEN 'no_answer'
                                                 ELSE '' END
                        ELSE '' END,
            CASE WHEN status <> 'pending'
                 THEN least(%(now)s, due_at + pg_temp.rnd(id, 502) * interval '2 days') END,
            NULL
        FROM bench_call
        """,
        params,
    )
    count = cursor.rowcount
    # One attempt a try: the earlier ones unanswered, the last one the outcome.
    cursor.execute(
        """
        INSERT INTO members_callattempt (mall_id, task_id, caller_id, at, outcome, callback_at, note)
        SELECT t.mall_id, t.id, t.assignee_id, t.due_at + (a - 1) * interval '1 hour',
               CASE WHEN a = t.attempts THEN t.last_outcome ELSE 'no_answer' END, NULL, ''
        FROM members_calltask t
        CROSS JOIN LATERAL generate_series(1, t.attempts) a
        WHERE t.id > %(base)s AND t.attempts > 0
        """,
        {"base": base_task},
    )
    return count


def _tier_id(cursor, mall_id: int, rank: int | None) -> int | None:
    if rank is None:
        return None
    cursor.execute("SELECT id FROM members_tier WHERE mall_id = %s AND rank = %s", [mall_id, rank])
    row = cursor.fetchone()
    return row[0] if row else None
