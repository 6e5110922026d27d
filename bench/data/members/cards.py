"""Membership cards and their batches for the members in bench_m."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bench.data import scaled
from bench.data.members.people import max_id

CARD_BATCH_SIZE = 10_000
STOCK_CARDS_PER_MALL = 3_000


def create_cards(cursor, *, now: datetime.datetime) -> None:
    """Cards: numbers 62<mall><7 digits> in order of issue; 2% of members
    have none yet; a replaced card is followed by its active replacement."""
    base = max_id(cursor, "members_card")
    base_batch = max_id(cursor, "members_cardbatch")
    cursor.execute(
        """
        CREATE TEMP TABLE bench_card ON COMMIT DROP AS
        WITH s AS (
            SELECT m.id AS member_id, m.i, m.m, m.mall_id, m.registered_by_id AS actor_id,
                   m.registered_at + interval '4 minutes' AS issued_at,
                   CASE WHEN pg_temp.rnd(m.i, 400) < 0.02 THEN NULL
                        WHEN pg_temp.rnd(m.i, 400) < 0.05 THEN 'issued'
                        WHEN pg_temp.rnd(m.i, 400) < 0.06 THEN 'lost'
                        WHEN pg_temp.rnd(m.i, 400) < 0.065 THEN 'frozen'
                        WHEN pg_temp.rnd(m.i, 400) < 0.085 THEN 'replaced'
                        ELSE 'active' END AS state
            FROM bench_m m
            WHERE EXISTS (SELECT 1 FROM members_member x WHERE x.id = m.id)
        ),
        rows AS (
            SELECT member_id, m, mall_id, actor_id, false AS second, state AS status, issued_at,
                   CASE WHEN state <> 'issued'
                        THEN issued_at + pg_temp.rnd(i, 401) * interval '3 days' END AS entered_at,
                   CASE WHEN state IN ('issued', 'active') THEN issued_at
                        ELSE issued_at + pg_temp.rnd(i, 402) * (%(now)s - issued_at) END
                       AS status_changed_at
            FROM s WHERE state IS NOT NULL
            UNION ALL
            SELECT member_id, m, mall_id, actor_id, true, 'active',
                   issued_at + (0.5 + pg_temp.rnd(i, 402)) / 1.5 * (%(now)s - issued_at),
                   NULL, NULL
            FROM s WHERE state = 'replaced'
        )
        SELECT row_number() OVER (ORDER BY issued_at, member_id, second) + %(base)s AS id,
               row_number() OVER (PARTITION BY m ORDER BY issued_at, member_id, second) AS seq,
               rows.*
        FROM rows
        """,
        {"now": now, "base": base},
    )
    cursor.execute("SELECT m, max(seq) FROM bench_card GROUP BY m")
    last_seq = dict(cursor.fetchall())
    for m, last in last_seq.items():
        # blank cards left in stock after the issued ones, a few voided
        cursor.execute(
            """
            INSERT INTO bench_card (id, seq, member_id, m, mall_id, actor_id, second, status,
                                    issued_at, entered_at, status_changed_at)
            SELECT (SELECT max(id) FROM bench_card) + s, %(last)s + s, NULL, %(m)s,
                   (SELECT mall_id FROM bench_card WHERE m = %(m)s LIMIT 1), NULL, false,
                   CASE WHEN s %% 150 = 0 THEN 'void' ELSE 'stock' END, NULL, NULL,
                   CASE WHEN s %% 150 = 0 THEN %(now)s END
            FROM generate_series(1, %(stock)s) s
            """,
            {"last": last, "m": m, "now": now, "stock": scaled(STOCK_CARDS_PER_MALL)},
        )
    cursor.execute(
        """
        INSERT INTO members_cardbatch (id, mall_id, code, received_on, note)
        SELECT %(base)s + m * 1000 + b + 1, min(mall_id),
               'BENCH-' || (m + 1) || '-' || lpad((b + 1)::text, 3, '0'),
               coalesce(min(issued_at)::date - 7, %(today)s), ''
        FROM (SELECT m, mall_id, issued_at, (seq - 1) / %(size)s AS b FROM bench_card) c
        GROUP BY m, b
        """,
        {"base": base_batch, "size": CARD_BATCH_SIZE, "today": timezone.localdate()},
    )
    cursor.execute(
        """
        INSERT INTO members_card (id, mall_id, batch_id, number, status, member_id, replaces_id,
                                  issued_at, issued_by_id, entered_at, status_changed_at)
        SELECT c.id, c.mall_id, %(base)s + c.m * 1000 + (c.seq - 1) / %(size)s + 1,
               '62' || (c.m + 1) || lpad(c.seq::text, 7, '0'), c.status, c.member_id, f.id,
               c.issued_at, c.actor_id, c.entered_at, c.status_changed_at
        FROM bench_card c
        LEFT JOIN bench_card f ON c.second AND f.member_id = c.member_id AND NOT f.second
        """,
        {"base": base_batch, "size": CARD_BATCH_SIZE},
    )
