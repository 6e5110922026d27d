"""The members and their points ledgers, built in temporary tables
(bench_m, bench_lot, bench_redeem, bench_expire, bench_ledger) and inserted
with explicit ids; the desk staff and shops each mall draws from."""

from __future__ import annotations

import datetime

from django.conf import settings

from bench.data import scaled

MEMBERS = 1_000_000
# The first mall's share of the members.
FIRST_MALL_SHARE = 0.55

# Surnames with their share per ten thousand people (rounded from the 2020
# census tables); a name is a surname and a one- or two-character given name.
SURNAMES = {
    "王": 71, "李": 70, "张": 66, "刘": 54, "陈": 46, "杨": 31, "黄": 25, "赵": 20,
    "吴": 20, "周": 19, "徐": 15, "孙": 14, "马": 13, "朱": 13, "胡": 12, "郭": 12,
    "何": 12, "林": 11, "高": 11, "罗": 10, "郑": 10, "梁": 9, "谢": 8, "宋": 8,
    "唐": 8, "许": 7, "韩": 7, "冯": 7, "邓": 7, "曹": 7, "彭": 6, "曾": 6, "肖": 6,
    "田": 6, "董": 5, "袁": 5, "潘": 5, "于": 5, "蒋": 5, "蔡": 5, "余": 5, "杜": 5,
    "叶": 4, "程": 4, "苏": 4, "魏": 4, "吕": 4, "丁": 4, "任": 4, "沈": 4, "姚": 3,
    "卢": 3, "姜": 3, "崔": 3, "钟": 3, "谭": 3, "陆": 3, "汪": 3, "范": 3, "金": 3,
    "石": 3, "廖": 3, "贾": 3, "夏": 3, "韦": 3, "付": 3, "方": 3, "白": 2, "邹": 2,
    "孟": 2, "熊": 2, "秦": 2, "邱": 2, "江": 2, "尹": 2, "薛": 2, "闫": 2, "段": 2,
    "雷": 2, "侯": 2, "龙": 2, "史": 2, "陶": 2, "黎": 2, "贺": 2, "顾": 2, "毛": 2,
    "郝": 2, "龚": 2, "邵": 2, "万": 2, "钱": 2, "严": 2, "覃": 1, "武": 1, "戴": 1,
    "莫": 1, "孔": 1, "向": 1, "汤": 1, "欧阳": 1, "司马": 1, "诸葛": 1, "上官": 1,
}  # fmt: skip
# Given-name characters, the common ones several times.
GIVEN = (
    "伟伟伟芳芳芳娜娜秀秀英英敏敏静静静丽丽强强磊磊军军洋洋勇勇艳艳杰杰娟娟涛涛明明明"
    "超超霞霞平平刚刚桂华华华玲玲红红建建文文辉辉鹏鹏飞飞宇宇浩浩晨晨欣欣怡怡婷婷雪雪"
    "琳佳佳雨雨子子梓涵涵轩博俊嘉嘉思思悦晓晓小小海海波波宁斌鑫凯晶颖倩燕慧萍琴云兰凤"
    "梅丹薇璐瑶蕾亮成志国东林峰健春秋玉金荣德新永光贵福生祥清远山兵民利鹏翔瑞婕欢乐"
)


def surname_list() -> list[str]:
    return [name for name, weight in SURNAMES.items() for _ in range(weight)]


RND = """
CREATE OR REPLACE FUNCTION pg_temp.rnd(i bigint, k integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ((hashint8extended(i, k) >> 11) & 9007199254740991)::double precision
           / 9007199254740992.0
$$;
"""


def max_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    return cursor.fetchone()[0]


def reset_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"(SELECT coalesce(max(id), 1) FROM {table}))"
    )


def create_pools(cursor, mall_ids: list[int]) -> None:
    """bench_pool(m, k, user_id): each mall's active desk staff, numbered."""
    cursor.execute(
        """
        CREATE TEMP TABLE bench_pool ON COMMIT DROP AS
        SELECT array_position(%(malls)s::bigint[], u.mall_id) - 1 AS m,
               row_number() OVER (PARTITION BY u.mall_id ORDER BY u.id) - 1 AS k,
               u.id AS user_id
        FROM mallservice_user u
        JOIN mallservice_user_groups ug ON ug.user_id = u.id
        JOIN auth_group g ON g.id = ug.group_id AND g.name = 'desk_staff'
        WHERE u.is_active AND u.mall_id = ANY(%(malls)s)
        """,
        {"malls": mall_ids},
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_shop ON COMMIT DROP AS
        SELECT array_position(%(malls)s::bigint[], mall_id) - 1 AS m,
               row_number() OVER (PARTITION BY mall_id ORDER BY id) - 1 AS k, id AS unit_id
        FROM mallservice_unit WHERE kind = 'shop' AND mall_id = ANY(%(malls)s)
        """,
        {"malls": mall_ids},
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_sizes ON COMMIT DROP AS "
        "SELECT m, (SELECT count(*) FROM bench_pool p WHERE p.m = s.m) AS pool, "
        "(SELECT count(*) FROM bench_shop h WHERE h.m = s.m) AS shops "
        "FROM generate_series(0, 1) s(m)"
    )


def create_members(cursor, *, mall_ids: list[int], now: datetime.datetime) -> int:
    """bench_m: one row per member with everything the other tables need."""
    total = scaled(MEMBERS)
    base = max_id(cursor, "members_member")
    surnames = surname_list()
    given = list(GIVEN)
    cursor.execute(
        """
        CREATE TEMP TABLE bench_m ON COMMIT DROP AS
        WITH g AS (
            SELECT i, CASE WHEN i <= %(first)s THEN 0 ELSE 1 END AS m
            FROM generate_series(1, %(n)s::bigint) AS s(i)
        ),
        v AS (
            SELECT g.*,
                CASE WHEN pg_temp.rnd(i, 10) < 0.90 THEN 1
                     WHEN pg_temp.rnd(i, 10) < 0.96 THEN 2
                     WHEN pg_temp.rnd(i, 10) < 0.99 THEN 3 ELSE 4 END AS rank,
                %(now)s - (power(pg_temp.rnd(i, 11), 1.4) * 2190 + 0.2) * interval '1 day'
                    AS registered_at
            FROM g
        )
        SELECT %(base)s + v.i AS id, v.i, v.m, v.rank, v.registered_at,
            (%(malls)s::bigint[])[v.m + 1] AS mall_id,
            '1' || (ARRAY['3','3','3','5','5','8','8','7','9','6'])[1 + floor(pg_temp.rnd(v.i, 1) * 10)::int]
                || lpad(((v.i * 7919 + 1234567) %% 1000000000)::text, 9, '0') AS phone,
            (%(surnames)s::text[])[1 + floor(pg_temp.rnd(v.i, 2) * %(ns)s)::int]
                || (%(given)s::text[])[1 + floor(pg_temp.rnd(v.i, 3) * %(ng)s)::int]
                || CASE WHEN pg_temp.rnd(v.i, 4) < 0.75
                        THEN (%(given)s::text[])[1 + floor(pg_temp.rnd(v.i, 5) * %(ng)s)::int]
                        ELSE '' END AS name,
            CASE WHEN pg_temp.rnd(v.i, 6) < 0.55 THEN 'f'
                 WHEN pg_temp.rnd(v.i, 6) < 0.95 THEN 'm' ELSE '' END AS gender,
            CASE WHEN pg_temp.rnd(v.i, 7) < 0.9
                 THEN date '1950-01-01' + floor(pg_temp.rnd(v.i, 8) * 20000)::int END AS birthday,
            CASE WHEN pg_temp.rnd(v.i, 9) < 0.80 THEN 'desk'
                 WHEN pg_temp.rnd(v.i, 9) < 0.85 THEN 'phone' ELSE 'import' END AS source,
            CASE WHEN v.rank > 1 THEN v.registered_at
                 + pg_temp.rnd(v.i, 12) * (%(now)s - v.registered_at) END AS tier_changed_at,
            pg_temp.rnd(v.i, 13) < 0.85 AS consent_callback,
            pg_temp.rnd(v.i, 14) < 0.60 AS consent_marketing,
            pg_temp.rnd(v.i, 15) < 0.02 AS do_not_call,
            greatest(v.registered_at,
                     %(now)s - power(pg_temp.rnd(v.i, 16), 2) * interval '365 days') AS last_visit_at,
            CASE WHEN pg_temp.rnd(v.i, 17) < 0.15 THEN 0
                 WHEN pg_temp.rnd(v.i, 17) < 0.45 THEN 1
                 WHEN pg_temp.rnd(v.i, 17) < 0.70 THEN 2
                 WHEN pg_temp.rnd(v.i, 17) < 0.85 THEN 3
                 WHEN pg_temp.rnd(v.i, 17) < 0.95 THEN 4 ELSE 5 END AS n_earn,
            p.user_id AS registered_by_id
        FROM v
        JOIN bench_sizes z ON z.m = v.m
        JOIN bench_pool p ON p.m = v.m AND p.k = v.i %% z.pool
        """,
        {
            "n": total,
            "first": round(total * FIRST_MALL_SHARE),
            "base": base,
            "now": now,
            "malls": mall_ids,
            "surnames": surnames,
            "ns": len(surnames),
            "given": given,
            "ng": len(given),
        },
    )
    cursor.execute("CREATE INDEX ON bench_m (id)")
    return total


def create_ledger(cursor, *, now: datetime.datetime) -> None:
    """bench_ledger: earns (amounts by tier), at most one redemption per
    member (a gift the unexpired points could pay for), and the expiry lines
    the nightly job would have written (members/expiry.py: FIFO, so the
    amount expired at a lot's expiry is the running maximum of what is left
    of the lots up to it), with each line's balance after it."""
    from members.expiry import VALID_MONTHS

    params = {"now": now, "tz": settings.TIME_ZONE, "valid": VALID_MONTHS}
    cursor.execute(
        """
        CREATE TEMP TABLE bench_lot ON COMMIT DROP AS
        WITH e AS (
            SELECT m.id AS member_id, m.i, m.m, m.mall_id, m.registered_by_id, j,
                   m.registered_at + pg_temp.rnd(m.i, 100 + j) * (%(now)s - m.registered_at) AS at,
                   round((CASE m.rank
                       WHEN 1 THEN 30 + pg_temp.rnd(m.i, 110 + j) * 770
                       WHEN 2 THEN 500 + pg_temp.rnd(m.i, 110 + j) * 3500
                       WHEN 3 THEN 2000 + pg_temp.rnd(m.i, 110 + j) * 9000
                       ELSE 8000 + pg_temp.rnd(m.i, 110 + j) * 30000 END)::numeric, 2) AS amount,
                   s.unit_id AS shop_id
            FROM bench_m m
            CROSS JOIN LATERAL generate_series(1, m.n_earn) AS j
            JOIN bench_sizes z ON z.m = m.m
            JOIN bench_shop s ON s.m = m.m
             AND s.k = floor(pg_temp.rnd(m.i, 120 + j) * z.shops)::int
        )
        SELECT e.*, floor(e.amount)::int AS points,
               row_number() OVER w AS k,
               sum(floor(e.amount)::int) OVER w AS cum,
               -- the nightly run after the last valid day (00:30)
               (((((e.at AT TIME ZONE %(tz)s)::date
                   + make_interval(months => %(valid)s))::date + 1)::timestamp
                   + interval '30 minutes') AT TIME ZONE %(tz)s) AS expires_run
        FROM e
        WINDOW w AS (PARTITION BY e.member_id ORDER BY e.at, e.j ROWS UNBOUNDED PRECEDING)
        """,
        params,
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_gift ON COMMIT DROP AS
        SELECT g.id AS gift_id, g.name, g.points_cost, g.mall_id FROM members_gift g
        WHERE g.is_active
        """
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_redeem ON COMMIT DROP AS
        WITH f AS (
            SELECT member_id, min(i) AS i, min(mall_id) AS mall_id,
                   min(registered_by_id) AS actor_id, min(at) AS first_at
            FROM bench_lot GROUP BY member_id
        ),
        t AS (
            SELECT f.*, f.first_at + pg_temp.rnd(f.i, 301) * (%(now)s - f.first_at) AS at
            FROM f WHERE pg_temp.rnd(f.i, 300) < 0.3
        ),
        a AS (
            -- points still valid at the redemption: earned before it, after its cut-off
            SELECT t.member_id, t.i, t.mall_id, t.actor_id, t.at, sum(l.points) AS avail
            FROM t JOIN bench_lot l ON l.member_id = t.member_id AND l.at < t.at
             AND l.at >= (((t.at AT TIME ZONE %(tz)s)::date
                          - make_interval(months => %(valid)s))::date::timestamp AT TIME ZONE %(tz)s)
            GROUP BY t.member_id, t.i, t.mall_id, t.actor_id, t.at
        )
        SELECT a.member_id, a.mall_id, a.actor_id, a.at, g.gift_id, g.name, g.points_cost AS cost
        FROM a
        CROSS JOIN LATERAL (
            SELECT * FROM bench_gift g WHERE g.mall_id = a.mall_id AND g.points_cost <= a.avail
            ORDER BY pg_temp.rnd(a.i * 31 + g.gift_id, 302) LIMIT 1
        ) g
        """,
        params,
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_expire ON COMMIT DROP AS
        WITH x AS (
            SELECT l.member_id, l.mall_id, l.k, l.expires_run AS at,
                   greatest(0, max(l.cum - CASE WHEN r.at < l.expires_run THEN r.cost ELSE 0 END)
                       OVER w) AS expired
            FROM bench_lot l LEFT JOIN bench_redeem r ON r.member_id = l.member_id
            WHERE l.expires_run <= %(now)s
            WINDOW w AS (PARTITION BY l.member_id ORDER BY l.k ROWS UNBOUNDED PRECEDING)
        )
        -- one line per member and nightly run, as the job writes them
        SELECT member_id, min(mall_id) AS mall_id, at, sum(points)::int AS points
        FROM (
            SELECT member_id, mall_id, at,
                   expired - lag(expired, 1, 0::bigint) OVER (PARTITION BY member_id ORDER BY k)
                       AS points
            FROM x
        ) lots
        GROUP BY member_id, at
        """,
        params,
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_ledger ON COMMIT DROP AS
        WITH lines AS (
            SELECT member_id, mall_id, 'earn' AS kind, points, amount, at, shop_id,
                   'B' || member_id || '-' || k AS receipt_no, NULL::bigint AS gift_id,
                   '' AS reason, registered_by_id AS actor_id, 0 AS ord
            FROM bench_lot
            UNION ALL
            SELECT member_id, mall_id, 'redeem', -cost, NULL, at, NULL, '', gift_id, name,
                   actor_id, 1
            FROM bench_redeem
            UNION ALL
            SELECT member_id, mall_id, 'expire', -points, NULL, at, NULL, '', NULL, '',
                   %(system)s, 2
            FROM bench_expire WHERE points > 0
        )
        SELECT lines.*, sum(points) OVER (
            PARTITION BY member_id ORDER BY at, ord ROWS UNBOUNDED PRECEDING
        ) AS balance_after
        FROM lines
        """,
        {"system": system_actor()},
    )


def system_actor() -> int:
    from mallservice.services import system_actor_id

    return system_actor_id()


def insert_members(cursor) -> int:
    cursor.execute(
        """
        INSERT INTO members_member (
            id, mall_id, phone, name, gender, birthday, source, tier_id, tier_changed_at,
            tier_set_by_hand_at, status, merged_into_id, consent_callback, consent_callback_at,
            consent_callback_by_id, consent_marketing, consent_marketing_at,
            consent_marketing_by_id, do_not_call, do_not_call_at, possible_duplicate_of_id,
            points_balance, last_visit_at, notes, registered_at, registered_by_id)
        SELECT m.id, m.mall_id, m.phone, m.name, m.gender, m.birthday, m.source, t.id,
            m.tier_changed_at, NULL, 'active', NULL,
            m.consent_callback, CASE WHEN m.consent_callback THEN m.registered_at END,
            CASE WHEN m.consent_callback THEN m.registered_by_id END,
            m.consent_marketing, CASE WHEN m.consent_marketing THEN m.registered_at END,
            CASE WHEN m.consent_marketing THEN m.registered_by_id END,
            m.do_not_call, CASE WHEN m.do_not_call THEN m.last_visit_at END, NULL,
            coalesce(b.balance, 0), m.last_visit_at, '', m.registered_at, m.registered_by_id
        FROM bench_m m
        JOIN members_tier t ON t.mall_id = m.mall_id AND t.rank = m.rank
        LEFT JOIN (
            SELECT member_id, sum(points) AS balance FROM bench_ledger GROUP BY member_id
        ) b ON b.member_id = m.id
        -- the demo's few hundred members keep their numbers
        WHERE NOT EXISTS (SELECT 1 FROM members_member x WHERE x.phone = m.phone)
        """
    )
    count = cursor.rowcount
    cursor.execute(
        """
        INSERT INTO members_pointsentry (
            mall_id, member_id, kind, points, balance_after, shop_id, receipt_no, amount,
            gift_id, reason, actor_id, approved_by_id, at)
        SELECT l.mall_id, l.member_id, l.kind, l.points, l.balance_after, l.shop_id,
            l.receipt_no, l.amount, l.gift_id, l.reason, l.actor_id, NULL, l.at
        FROM bench_ledger l
        WHERE EXISTS (SELECT 1 FROM members_member x WHERE x.id = l.member_id)
        ORDER BY l.member_id, l.at, l.ord
        """
    )
    return count
