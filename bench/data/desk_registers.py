"""Three years of the desk's returns and CCTV registers: 200,000 returns
and exchanges (nearly all settled with the shop's confirmation, the last
days' still open or in mediation, half with the shop's answer noted) and
200,000 CCTV footage reviews (nearly all viewed, one in fifteen refused,
police requests with a copy released, today's awaiting approval) — plus
the history all of it implies and the reference counters that follow the
numbers handed out.

Set-based SQL with triggers off, like the other parts."""

from __future__ import annotations

from typing import Any

from bench.data import scaled, triggers_off, write_history
from bench.scenarios import Page
from bench.sql import MALL_OF_G, TODAY, staff_table
from desk import models as dm
from mallservice.models import Mall

YEARS_DAYS = 3 * 365
RETURNS = 200_000
REVIEWS = 200_000

HISTORY = [
    (dm.ReturnCase, "t.created_at"),
    (dm.ReturnStep, "t.at"),
    (dm.FootageReview, "t.created_at"),
]


def _max_id(cursor, model) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def generate(cursor) -> None:
    staff_table(cursor)
    first = {model: _max_id(cursor, model) for model, _at in HISTORY}
    cursor.execute("SELECT setseed(0.23)")
    with triggers_off(cursor):
        _returns(cursor, scaled(RETURNS), scaled(YEARS_DAYS), first[dm.ReturnCase])
        _reviews(cursor, scaled(REVIEWS), scaled(YEARS_DAYS))
    for model, created_at in HISTORY:
        write_history(cursor, model, where=f"t.id > {first[model]}", created_at=created_at)


def _counter(cursor, table: str, series: str) -> None:
    """New records go on from the numbers handed out here."""
    cursor.execute(
        f"""
        INSERT INTO desk_referencecounter (mall_id, series, year, last_number)
        SELECT mall_id, %(series)s, split_part(reference, '-', 2)::int,
               max(split_part(reference, '-', 3)::int)
        FROM {table} GROUP BY 1, 3
        ON CONFLICT (mall_id, series, year) DO UPDATE SET last_number = EXCLUDED.last_number
        """,
        {"series": series},
    )


def _returns(cursor, n: int, days: int, first: int) -> None:
    """Cases spread evenly back over `days`, numbered per mall and local
    year in time order; those of the last three days not settled."""
    cursor.execute(
        f"""
        INSERT INTO desk_returncase
            (mall_id, reference, customer_name, customer_phone, unit_id, goods, receipt_number,
             purchased_on, reason, customer_request, status, recorded_by_id, created_at,
             outcome, outcome_note, shop_contact_name, shop_confirmed_at, settled_by_id,
             complaint_id)
        SELECT x.mall_id,
               'TH-' || extract(year FROM x.local_at)::int || '-' || lpad((row_number() OVER (
                   PARTITION BY x.mall_id, extract(year FROM x.local_at)
                   ORDER BY x.created_at, x.g) + coalesce(k.last_number, 0))::text, 5, '0'),
               (ARRAY['王女士', '李先生', '赵女士', '陈先生', '刘女士'])[1 + x.g %% 5],
               CASE WHEN x.g %% 3 = 0 THEN '' ELSE '139' || lpad((x.g %% 100000000)::text, 8, '0')
                    END,
               u.id,
               (ARRAY['羊毛衫', '蓝牙耳机', '运动鞋', '电饭煲', '连衣裙', '手表'])[1 + x.g %% 6],
               'POS-' || lpad(x.g::text, 8, '0'),
               (x.local_at - (x.g %% 20) * interval '1 day')::date,
               x.reason, '顾客要求退换', x.status, x.desk_id, x.created_at,
               CASE WHEN x.status = 'settled'
                    THEN (ARRAY['exchange', 'refund', 'repair', 'refused'])[1 + x.g %% 4]
                    ELSE '' END,
               '',
               CASE WHEN x.status = 'settled' THEN '店长' ELSE '' END,
               CASE WHEN x.status = 'settled' THEN x.created_at + interval '1 hour' END,
               CASE WHEN x.status = 'settled' THEN x.desk_id END,
               NULL
        FROM (
            SELECT g, m.mall_id,
                   t.today - r.dayoff + time '10:00' + (g * 37 %% 660) * interval '1 minute'
                       AS local_at,
                   (t.today - r.dayoff + time '10:00' + (g * 37 %% 660) * interval '1 minute')
                       AT TIME ZONE 'Asia/Shanghai' AS created_at,
                   (ARRAY['size', 'quality', 'size', 'changed_mind', 'quality', 'other'])
                       [1 + g * 7 %% 6] AS reason,
                   CASE WHEN r.dayoff <= 3 THEN (ARRAY['open', 'mediating'])[1 + g %% 2]
                        ELSE 'settled' END AS status,
                   d.ids[1 + g %% array_length(d.ids, 1)] AS desk_id
            FROM generate_series(1::bigint, %(n)s) g
            {TODAY} t
            CROSS JOIN LATERAL (SELECT ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff) r
            {MALL_OF_G}
            JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
        ) x
        CROSS JOIN LATERAL (
            SELECT id FROM mallservice_unit
            WHERE mall_id = x.mall_id AND kind = 'shop' AND is_active ORDER BY id
            OFFSET x.g %% 30 LIMIT 1
        ) u
        LEFT JOIN desk_referencecounter k
            ON k.mall_id = x.mall_id AND k.series = 'return_case'
            AND k.year = extract(year FROM x.local_at)::int
        """,
        {"n": n, "days": days},
    )
    cursor.execute(
        """
        INSERT INTO desk_returnstep (case_id, mall_id, kind, at, by_id, note)
        SELECT c.id, c.mall_id, 'shop_answer', c.created_at + interval '20 minutes',
               c.recorded_by_id, '商户同意换货'
        FROM desk_returncase c
        WHERE c.id > %(first)s AND (c.id %% 2 = 0 OR c.status = 'mediating')
        """,
        {"first": first},
    )
    _counter(cursor, "desk_returncase", "return_case")


def _reviews(cursor, n: int, days: int) -> None:
    """Requests through the years: nearly all viewed, one in fifteen
    refused, the police's (one in six) with a copy released; today's
    awaiting approval or approved."""
    cursor.execute(
        f"""
        INSERT INTO desk_footagereview
            (mall_id, reference, requester_kind, requester_name, requester_phone, reason,
             reason_detail, window_from, window_until, cameras, status, recorded_by_id,
             created_at, decided_by_id, decided_at, refusal_reason, viewed_at, viewers,
             viewed_with_id, findings, copy_released_at, copy_released_to,
             police_document_number, copy_released_by_id)
        SELECT x.mall_id,
               'JK-' || extract(year FROM x.local_at)::int || '-' || lpad((row_number() OVER (
                   PARTITION BY x.mall_id, extract(year FROM x.local_at)
                   ORDER BY x.created_at, x.g) + coalesce(k.last_number, 0))::text, 5, '0'),
               x.kind,
               (ARRAY['刘女士', '派出所 李警官', '商户店长', '安保 王刚'])[1 + x.g %% 4], '',
               (ARRAY['lost_item', 'lost_item', 'complaint', 'incident', 'other'])[1 + x.g %% 5],
               '核实经过', x.created_at - interval '3 hours', x.created_at - interval '2 hours',
               'B1-0' || (1 + x.g %% 9), x.status, x.desk_id, x.created_at,
               CASE WHEN x.status <> 'requested' THEN x.sup_id END,
               CASE WHEN x.status <> 'requested' THEN x.created_at + interval '15 minutes' END,
               CASE WHEN x.status = 'refused' THEN '无正当理由' ELSE '' END,
               CASE WHEN x.status = 'viewed' THEN x.created_at + interval '30 minutes' END,
               CASE WHEN x.status = 'viewed' THEN '申请人' ELSE '' END,
               CASE WHEN x.status = 'viewed' THEN x.desk_id END,
               '',
               CASE WHEN x.copied THEN x.created_at + interval '40 minutes' END,
               CASE WHEN x.copied THEN '李警官' ELSE '' END,
               CASE WHEN x.copied THEN '调证字' || x.g ELSE '' END,
               CASE WHEN x.copied THEN x.sup_id END
        FROM (
            SELECT g, m.mall_id, s.local_at, s.created_at, s.kind, s.status,
                   s.kind = 'police' AND s.status = 'viewed' AS copied,
                   d.ids[1 + g %% array_length(d.ids, 1)] AS desk_id,
                   coalesce(p.ids[1 + g %% array_length(p.ids, 1)],
                            d.ids[1 + g %% array_length(d.ids, 1)]) AS sup_id
            FROM generate_series(1::bigint, %(n)s) g
            {TODAY} t
            CROSS JOIN LATERAL (SELECT ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff) r
            CROSS JOIN LATERAL (
                SELECT t.today - r.dayoff + time '10:00' + (g * 37 %% 600) * interval '1 minute'
                           AS local_at,
                       (t.today - r.dayoff + time '10:00' + (g * 37 %% 600) * interval '1 minute')
                           AT TIME ZONE 'Asia/Shanghai' AS created_at,
                       CASE WHEN g %% 6 = 0 THEN 'police'
                            ELSE (ARRAY['customer', 'shop', 'staff'])[1 + g %% 3] END AS kind,
                       CASE WHEN r.dayoff = 0 THEN (ARRAY['requested', 'approved'])[1 + g %% 2]
                            WHEN g %% 15 = 0 THEN 'refused' ELSE 'viewed' END AS status
            ) s
            {MALL_OF_G}
            JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
            LEFT JOIN _bench_staff p ON p.mall_id = m.mall_id AND p.role = 'supervisor'
        ) x
        LEFT JOIN desk_referencecounter k
            ON k.mall_id = x.mall_id AND k.series = 'footage_review'
            AND k.year = extract(year FROM x.local_at)::int
        """,
        {"n": n, "days": days},
    )
    _counter(cursor, "desk_footagereview", "footage_review")


def context(cursor) -> dict[str, Any]:
    """A case and a review from the middle of the desk's mall's lists."""
    mall = Mall.objects.order_by("pk").first()
    cases = dm.ReturnCase.objects.filter(mall=mall).order_by("pk")
    reviews = dm.FootageReview.objects.filter(mall=mall).order_by("pk")
    return {
        "return_case_id": cases[cases.count() // 2].pk,
        "footage_review_id": reviews[reviews.count() // 2].pk,
    }


SCENARIOS = [
    Page(
        "returns and exchanges list",
        lambda ctx: "/desk/returns/",
        target_p95_ms=100,
        desk_share=0.01,
        notes="issue 22: 200,000 returns and exchanges, p95 ≤ 100 ms",
    ),
    Page(
        "returns and exchanges list, not settled",
        lambda ctx: "/desk/returns/?live=on",
        target_p95_ms=100,
    ),
    Page("returns and exchanges list, page 40", lambda ctx: "/desk/returns/?page=40"),
    Page(
        "return page",
        lambda ctx: f"/desk/returns/{ctx['return_case_id']}/",
        target_p95_ms=100,
    ),
    Page(
        "CCTV footage review list",
        lambda ctx: "/desk/cctv/",
        target_p95_ms=100,
        notes="issue 22: 200,000 CCTV footage reviews, p95 ≤ 100 ms",
    ),
    Page(
        "CCTV footage review list, awaiting approval",
        lambda ctx: "/desk/cctv/?status=requested",
        target_p95_ms=100,
        user="bench-supervisor",
    ),
    Page(
        "CCTV footage review page",
        lambda ctx: f"/desk/cctv/{ctx['footage_review_id']}/",
        target_p95_ms=100,
    ),
]
