"""Three years of the desk's counter registers: 200,000 invoice requests
(a third with a second receipt; nearly all e-mailed, one in fifteen
refused, the last two days' awaiting finance), 200,000 parking validations
with their receipts (the last day's failures waiting to be sent again) and
200,000 group purchases with their quotes — plus their history and the
reference counters that follow the numbers handed out.

Set-based SQL with triggers off, like `desk.py`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bench.data import scaled, triggers_off, write_history
from bench.scenarios import Page
from bench.sql import MALL_OF_G, TODAY, staff_table
from desk import models as dm
from mallservice.models import Mall

YEARS_DAYS = 3 * 365
INVOICES = 200_000
PARKING = 200_000
GROUP_PURCHASES = 200_000

HISTORY = [
    (dm.InvoiceRequest, "t.created_at"),
    (dm.InvoiceReceipt, "now()"),
    (dm.ParkingValidation, "t.created_at"),
    (dm.ParkingReceipt, "now()"),
    (dm.GroupPurchase, "t.created_at"),
    (dm.GroupPurchaseQuote, "t.at"),
]

# Rows spread evenly back over `days`, by mall, with a desk member each;
# `x.local_at` / `x.created_at` the local and absolute times.
SPREAD = f"""
    SELECT g, m.mall_id,
           t.today - r.dayoff + time '09:30' + (g * 37 %% 690) * interval '1 minute' AS local_at,
           (t.today - r.dayoff + time '09:30' + (g * 37 %% 690) * interval '1 minute')
               AT TIME ZONE 'Asia/Shanghai' AS created_at,
           r.dayoff,
           d.ids[1 + g %% array_length(d.ids, 1)] AS desk_id,
           coalesce(s.ids[1 + g %% array_length(s.ids, 1)],
                    d.ids[1 + g %% array_length(d.ids, 1)]) AS sup_id
    FROM generate_series(1::bigint, %(n)s) g
    {TODAY} t
    CROSS JOIN LATERAL (SELECT ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff) r
    {MALL_OF_G}
    JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
    LEFT JOIN _bench_staff s ON s.mall_id = m.mall_id AND s.role = 'supervisor'
"""


def _reference(prefix: str, series: str) -> tuple[str, str]:
    """The reference expression numbered per mall and local year after the
    counter's last number, and the join to that counter."""
    expression = (
        f"'{prefix}-' || extract(year FROM x.local_at)::int || '-' || lpad((row_number() OVER ("
        "PARTITION BY x.mall_id, extract(year FROM x.local_at) ORDER BY x.created_at, x.g)"
        " + coalesce(k.last_number, 0))::text, 5, '0')"
    )
    join = (
        "LEFT JOIN desk_referencecounter k ON k.mall_id = x.mall_id "
        f"AND k.series = '{series}' AND k.year = extract(year FROM x.local_at)::int"
    )
    return expression, join


def _follow_counter(cursor, table: str, series: str) -> None:
    cursor.execute(
        f"""
        INSERT INTO desk_referencecounter (mall_id, series, year, last_number)
        SELECT mall_id, '{series}', split_part(reference, '-', 2)::int,
               max(split_part(reference, '-', 3)::int)
        FROM {table} GROUP BY 1, 3
        ON CONFLICT (mall_id, series, year) DO UPDATE SET last_number = EXCLUDED.last_number
        """
    )


def _max_id(cursor, model) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def generate(cursor) -> None:
    staff_table(cursor)
    first = {model: _max_id(cursor, model) for model, _at in HISTORY}
    cursor.execute("SELECT setseed(0.23)")
    days = scaled(YEARS_DAYS)
    with triggers_off(cursor):
        _invoices(cursor, scaled(INVOICES), days, first[dm.InvoiceRequest])
        _parking(cursor, scaled(PARKING), days, first[dm.ParkingValidation])
        _groups(cursor, scaled(GROUP_PURCHASES), days, first[dm.GroupPurchase])
    for model, created_at in HISTORY:
        write_history(cursor, model, where=f"t.id > {first[model]}", created_at=created_at)


def _invoices(cursor, n: int, days: int, first: int) -> None:
    reference, counter = _reference("FP", "invoice")
    cursor.execute(
        f"""
        INSERT INTO desk_invoicerequest
            (mall_id, reference, title, taxpayer_number, amount, email, status, recorded_by_id,
             created_at, invoice_number, decided_by_id, decided_at, emailed_at, refusal_reason)
        SELECT x.mall_id, {reference},
               (ARRAY['上海星辰科技有限公司', '杭州云帆贸易有限公司', '张先生',
                      '南京和光文化传媒有限公司'])[1 + x.g %% 4],
               CASE WHEN x.g %% 4 = 2 THEN '' ELSE '91310000MA1FL0X12J' END,
               100 + (x.g * 7919 %% 990000) / 100.0, 'finance@example.com', x.status,
               x.desk_id, x.created_at,
               CASE WHEN x.status IN ('issued', 'emailed') THEN 'INV' || lpad(x.g::text, 12, '0')
                    ELSE '' END,
               CASE WHEN x.status <> 'requested' THEN x.sup_id END,
               CASE WHEN x.status <> 'requested' THEN x.created_at + interval '1 day' END,
               CASE WHEN x.status = 'emailed' THEN x.created_at + interval '1 day 10 minutes' END,
               CASE WHEN x.status = 'refused' THEN '小票非统一收银' ELSE '' END
        FROM (
            SELECT s.*,
                   CASE WHEN s.dayoff <= 1 THEN 'requested'
                        WHEN s.dayoff <= 3 AND s.g %% 2 = 0 THEN 'issued'
                        WHEN s.g %% 15 = 0 THEN 'refused' ELSE 'emailed' END AS status
            FROM ({SPREAD}) s
        ) x
        {counter}
        """,
        {"n": n, "days": days},
    )
    # One receipt each, a second for one in three; a refused request's are
    # no longer held. Receipt numbers are unique by construction.
    cursor.execute(
        """
        INSERT INTO desk_invoicereceipt (request_id, mall_id, receipt_no, held)
        SELECT i.id, i.mall_id, 'FP' || i.id || '-' || k, i.status <> 'refused'
        FROM desk_invoicerequest i
        CROSS JOIN generate_series(1, 2) k
        WHERE i.id > %(first)s AND (k = 1 OR i.id %% 3 = 0)
        """,
        {"first": first},
    )
    _follow_counter(cursor, "desk_invoicerequest", "invoice")


def _parking(cursor, n: int, days: int, first: int) -> None:
    reference, counter = _reference("TC", "parking")
    cursor.execute(
        f"""
        INSERT INTO desk_parkingvalidation
            (mall_id, reference, plate, member_id, tier_hours, spend_amount, spend_hours, hours,
             status, carpark_reference, carpark_message, recorded_by_id, created_at, applied_at)
        SELECT x.mall_id, {reference},
               (ARRAY['沪A', '沪B', '苏E', '浙A', '沪AD'])[1 + x.g %% 5]
                   || lpad((x.g %% 99999)::text, 5, '0'),
               NULL, 0, x.amount, x.hours, x.hours, x.status,
               CASE WHEN x.status = 'applied' THEN 'CP' || x.g ELSE '' END,
               CASE WHEN x.status = 'failed' THEN 'unreachable' ELSE '' END,
               x.desk_id, x.created_at,
               CASE WHEN x.status = 'applied' THEN x.created_at + interval '2 seconds' END
        FROM (
            SELECT s.*, a.amount,
                   CASE WHEN a.amount >= 500 THEN 4 ELSE 2 END AS hours,
                   CASE WHEN s.dayoff = 0 AND s.g %% 25 = 0 THEN 'failed'
                        ELSE 'applied' END AS status
            FROM ({SPREAD}) s
            CROSS JOIN LATERAL (SELECT 200 + (s.g * 7919 %% 150000) / 100.0 AS amount) a
        ) x
        {counter}
        """,
        {"n": n, "days": days},
    )
    cursor.execute(
        """
        INSERT INTO desk_parkingreceipt (validation_id, mall_id, receipt_no, amount)
        SELECT v.id, v.mall_id, 'TC' || v.id, v.spend_amount
        FROM desk_parkingvalidation v WHERE v.id > %(first)s
        """,
        {"first": first},
    )
    _follow_counter(cursor, "desk_parkingvalidation", "parking")


def _groups(cursor, n: int, days: int, first: int) -> None:
    reference, counter = _reference("TG", "group_purchase")
    cursor.execute(
        f"""
        INSERT INTO desk_grouppurchase
            (mall_id, reference, company, contact_name, contact_phone, product, face_value,
             quantity, budget, wanted_on, note, status, quoted_total, recorded_by_id,
             created_at, ordered_at, delivered_at, paid_at, cancel_reason)
        SELECT x.mall_id, {reference},
               (ARRAY['上海星辰科技有限公司', '杭州云帆贸易有限公司', '南京和光文化传媒有限公司',
                      '苏州工业园区某某公司'])[1 + x.g %% 4],
               '王经理', '138' || lpad((x.g %% 100000000)::text, 8, '0'),
               (ARRAY['gift_card', 'voucher'])[1 + x.g %% 2],
               (ARRAY[100, 200, 500, 1000])[1 + x.g %% 4], x.quantity, x.quantity * 450,
               x.local_at::date + 10, '', x.status,
               CASE WHEN x.status <> 'enquiry' THEN x.quantity * 450 END,
               x.desk_id, x.created_at,
               CASE WHEN x.status IN ('ordered', 'delivered', 'paid')
                    THEN x.created_at + interval '2 days' END,
               CASE WHEN x.status IN ('delivered', 'paid') THEN x.created_at + interval '9 days' END,
               CASE WHEN x.status = 'paid' THEN x.created_at + interval '20 days' END,
               CASE WHEN x.status = 'cancelled' THEN '客户预算调整' ELSE '' END
        FROM (
            SELECT s.*, 20 + s.g %% 480 AS quantity,
                   CASE WHEN s.dayoff <= 2 THEN (ARRAY['enquiry', 'quoted'])[1 + s.g %% 2]
                        WHEN s.dayoff <= 10 THEN (ARRAY['ordered', 'delivered'])[1 + s.g %% 2]
                        WHEN s.g %% 6 = 0 THEN 'cancelled' ELSE 'paid' END AS status
            FROM ({SPREAD}) s
        ) x
        {counter}
        """,
        {"n": n, "days": days},
    )
    cursor.execute(
        """
        INSERT INTO desk_grouppurchasequote (purchase_id, mall_id, total, terms, at, by_id)
        SELECT p.id, p.mall_id, p.quoted_total, '95折', p.created_at + interval '1 day',
               p.recorded_by_id
        FROM desk_grouppurchase p WHERE p.id > %(first)s AND p.quoted_total IS NOT NULL
        """,
        {"first": first},
    )
    _follow_counter(cursor, "desk_grouppurchase", "group_purchase")


def context(cursor) -> dict[str, Any]:
    """A record of each register from the middle of the desk's mall's list."""
    mall = Mall.objects.order_by("pk").first()
    found = {}
    for key, model in (
        ("invoice_id", dm.InvoiceRequest),
        ("parking_id", dm.ParkingValidation),
        ("group_purchase_id", dm.GroupPurchase),
    ):
        rows = model.objects.filter(mall=mall).order_by("pk")
        found[key] = rows[rows.count() // 2].pk
    found["parking_plate"] = dm.ParkingValidation.objects.get(pk=found["parking_id"]).plate
    return found


SCENARIOS = [
    Page(
        "invoice request list",
        lambda ctx: "/desk/invoices/",
        target_p95_ms=100,
        desk_share=0.005,
        notes="issue 22: 200,000 invoice requests, p95 ≤ 100 ms",
    ),
    Page(
        "invoice finance queue",
        lambda ctx: "/desk/invoices/?status=requested",
        target_p95_ms=100,
        user="bench-supervisor",
    ),
    Page("invoice request page", lambda ctx: f"/desk/invoices/{ctx['invoice_id']}/"),
    Page(
        "parking validation list",
        lambda ctx: "/desk/parking/",
        target_p95_ms=100,
        desk_share=0.005,
        notes="issue 22: 200,000 parking validations, p95 ≤ 100 ms",
    ),
    Page(
        "parking validations of a plate",
        lambda ctx: f"/desk/parking/?q={quote(ctx['parking_plate'])}",
        target_p95_ms=100,
    ),
    Page("parking validation page", lambda ctx: f"/desk/parking/{ctx['parking_id']}/"),
    Page(
        "group purchase list",
        lambda ctx: "/desk/group-purchases/",
        target_p95_ms=100,
        notes="issue 22: 200,000 group purchases, p95 ≤ 100 ms",
    ),
    Page(
        "group purchases not finished",
        lambda ctx: "/desk/group-purchases/?status=live",
        target_p95_ms=100,
    ),
    Page(
        "group purchases of the month",
        lambda ctx: "/desk/group-purchases/month/",
        target_p95_ms=100,
        user="bench-supervisor",
    ),
]
