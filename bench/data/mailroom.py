"""Three years of the mailroom: 500,000 incoming parcels (nearly all
collected, a few hundred on the shelves now) with their notices and signed
pick-ups, outgoing mail in courier batches, 100,000 found items with their
claims, police hand-overs and disposals, lost-item reports, and the lending
desk's history — plus the history all of it implies.

Set-based SQL with triggers off. Pick-ups group the parcels one recipient
collected at one moment; signatures are one placeholder path (no images)."""

from __future__ import annotations

from typing import Any

from bench.data import scaled, triggers_off, write_history
from bench.data.broadcasts import MALL_OF_G, TODAY, staff_table
from bench.scenarios import Page
from mailroom import models as mr
from mailroom import services
from mallservice.models import Mall, Unit, User
from mallservice.roles import Role

YEARS_DAYS = 3 * 365
PARCELS = 500_000
FOUND_ITEMS = 100_000
LOST_REPORTS = 30_000
OUTGOING = 40_000
SIGNATURE = "mailroom/signatures/bench/placeholder.png"
EXTRA_ASSETS = [("wheelchair", 2), ("stroller", 3), ("umbrella", 4), ("power_bank", 3)]

HISTORY = [
    (mr.ParcelPickup, "t.at"),
    (mr.Parcel, "t.received_at"),
    (mr.Notification, "t.created_at"),
    (mr.DispatchBatch, "t.dispatched_at"),
    (mr.OutgoingMail, "t.logged_at"),
    (mr.FoundItem, "t.logged_at"),
    (mr.ItemClaim, "t.logged_at"),
    (mr.LostReport, "t.logged_at"),
    (mr.Loan, "t.lent_at"),
]


def _max_id(cursor, model) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def generate(cursor) -> None:
    for mall in Mall.objects.order_by("pk"):
        desk = User.objects.filter(mall=mall, groups__name=Role.DESK).first()
        for kind, count in EXTRA_ASSETS:
            for n in range(count):
                services.asset_create(
                    actor=desk, mall=mall, tag=f"B-{kind[:2].upper()}{n + 1:02d}", kind=kind
                )
    staff_table(cursor)
    cursor.execute("DROP TABLE IF EXISTS _bench_units")
    cursor.execute(
        """
        CREATE TEMP TABLE _bench_units AS
        SELECT mall_id, array_agg(id ORDER BY id) AS ids,
               array_agg(contact_name ORDER BY id) AS names,
               array_agg(contact_phone ORDER BY id) AS phones
        FROM mallservice_unit WHERE kind = 'shop' AND is_active GROUP BY mall_id
        """
    )
    first = {model: _max_id(cursor, model) for model, _at in HISTORY}
    cursor.execute("SELECT setseed(0.25)")
    with triggers_off(cursor):
        _parcels(cursor, scaled(PARCELS), scaled(YEARS_DAYS), first)
        _outgoing(cursor, scaled(OUTGOING), scaled(YEARS_DAYS), first[mr.DispatchBatch])
        _found(cursor, scaled(FOUND_ITEMS), scaled(YEARS_DAYS), first[mr.FoundItem])
        _lost_reports(cursor, scaled(LOST_REPORTS), scaled(YEARS_DAYS))
        _loans(cursor, scaled(YEARS_DAYS))
    for model, created_at in HISTORY:
        write_history(cursor, model, where=f"t.id > {first[model]}", created_at=created_at)


def _parcels(cursor, n: int, days: int, first: dict) -> None:
    """Parcels arrive through the opening hours of every day; those of the
    last day (and one in fifty of the last ten days) are still waiting, one
    in 150 went back to the sender, the rest were collected the same day or
    within a week — all parcels of one recipient collected at once."""
    cursor.execute("DROP TABLE IF EXISTS _bench_parcel")
    cursor.execute(
        f"""
        CREATE TEMP TABLE _bench_parcel AS
        SELECT x.*,
               CASE WHEN x.status = 'collected' THEN greatest(
                   x.received_at + interval '20 minutes',
                   (x.received_day + least(x.wait, x.dayoff - 1) + time '10:00')
                       AT TIME ZONE 'Asia/Shanghai'
                   + (x.recipient_key * 37 %% 30000) * interval '1 second') END AS collected_at
        FROM (
            SELECT g, r.*, m.mall_id, c.carrier,
                   (t.today - r.dayoff + time '09:00'
                    + (g * 37 %% 600) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai'
                       AS received_at,
                   t.today - r.dayoff AS received_day,
                   CASE WHEN r.dayoff = 1 OR (r.dayoff <= 10 AND g %% 50 = 0) THEN 'waiting'
                        WHEN g %% 150 = 0 THEN 'returned' ELSE 'collected' END AS status,
                   CASE WHEN r.kind = 'unit' THEN u.ids[1 + g * 13 %% array_length(u.ids, 1)]
                        WHEN r.kind = 'staff' THEN d.ids[1 + g %% array_length(d.ids, 1)]
                        WHEN r.kind = 'department' THEN 1000000 + g %% 8
                        ELSE 2000000 + g END AS recipient_key,
                   d.ids[1 + g %% array_length(d.ids, 1)] AS desk_id,
                   u.ids, u.names, u.phones
            FROM generate_series(1::bigint, %(n)s) g
            {TODAY} t
            CROSS JOIN LATERAL (
                SELECT 1 + ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff,
                       CASE WHEN g %% 20 < 15 THEN 'unit' WHEN g %% 20 < 17 THEN 'department'
                            WHEN g %% 20 = 17 THEN 'staff' ELSE 'customer' END AS kind,
                       (ARRAY[0, 0, 0, 0, 0, 1, 1, 2, 3, 6])[1 + g * 7 %% 10] AS wait
            ) r
            {MALL_OF_G}
            CROSS JOIN LATERAL (
                SELECT (ARRAY['sf', 'sf', 'sf', 'jd', 'zto', 'yto', 'sto', 'yunda', 'jt', 'ems'])
                    [1 + g %% 10] AS carrier
            ) c
            JOIN _bench_units u ON u.mall_id = m.mall_id
            JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
        ) x
        """,
        {"n": n, "days": days},
    )
    cursor.execute("CREATE INDEX ON _bench_parcel (mall_id, collected_at)")
    cursor.execute(
        """
        INSERT INTO mailroom_parcelpickup
            (mall_id, collector_name, verification, id_last4, staff_badge, signature,
             handed_over_by_id, at)
        SELECT mall_id,
               (ARRAY['王磊', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵敏', '黄磊'])
                   [1 + min(g) %% 8],
               CASE WHEN bool_or(kind = 'staff') THEN 'staff_badge' ELSE 'id_last4' END,
               CASE WHEN bool_or(kind = 'staff') THEN ''
                    ELSE lpad((min(g) * 31 %% 10000)::text, 4, '0') END,
               CASE WHEN bool_or(kind = 'staff') THEN 'YG' || lpad((min(g) %% 9999)::text, 4, '0')
                    ELSE '' END,
               %(signature)s, min(desk_id), collected_at
        FROM _bench_parcel WHERE status = 'collected'
        GROUP BY mall_id, collected_at
        """,
        {"signature": SIGNATURE},
    )
    cursor.execute(
        """
        INSERT INTO mailroom_parcel
            (mall_id, carrier, tracking_number, recipient_kind, recipient_unit_id,
             recipient_department, recipient_staff_id, recipient_name, recipient_phone, size,
             shelf, pickup_code, status, received_by_id, received_at, reminder_due_at,
             reminder_sent_at, escalation_due_at, escalation_sent_at, pickup_id, returned_at,
             returned_by_id, return_reason, note)
        SELECT p.mall_id, p.carrier,
               CASE WHEN p.carrier IN ('sf', 'jd', 'jt') THEN upper(p.carrier) ELSE '' END
                   || (1000000000000 + p.g)::text,
               p.kind,
               CASE WHEN p.kind = 'unit' THEN p.recipient_key END,
               CASE WHEN p.kind = 'department'
                    THEN (ARRAY['customer_service', 'property', 'marketing', 'leasing', 'finance',
                                'security', 'engineering', 'admin'])[1 + p.g %% 8]
                    ELSE '' END,
               CASE WHEN p.kind = 'staff' THEN p.recipient_key END,
               CASE WHEN p.kind = 'customer' THEN '顾客' || (p.g %% 997) ELSE '' END,
               CASE WHEN p.kind = 'customer'
                    THEN '138' || lpad((p.g * 7919 %% 100000000)::text, 8, '0') ELSE '' END,
               (ARRAY['letter', 'small', 'small', 'small', 'medium', 'medium', 'large', 'cold'])
                   [1 + p.g %% 8],
               'A-' || (1 + p.g %% 12),
               lpad((p.g * 7919 %% 1000000)::text, 6, '0'),
               p.status, p.desk_id, p.received_at,
               p.received_at + interval '3 days',
               CASE WHEN coalesce(p.collected_at, now() + interval '1 year')
                         > p.received_at + interval '3 days'
                         AND p.received_at + interval '3 days' < now()
                    THEN p.received_at + interval '3 days' END,
               p.received_at + interval '7 days',
               CASE WHEN coalesce(p.collected_at, now() + interval '1 year')
                         > p.received_at + interval '7 days'
                         AND p.received_at + interval '7 days' < now()
                    THEN p.received_at + interval '7 days' END,
               k.id,
               CASE WHEN p.status = 'returned' THEN p.received_at + interval '14 days' END,
               CASE WHEN p.status = 'returned' THEN p.desk_id END,
               CASE WHEN p.status = 'returned' THEN '超期未取，退回寄件人' ELSE '' END,
               ''
        FROM _bench_parcel p
        LEFT JOIN mailroom_parcelpickup k
            ON k.mall_id = p.mall_id AND k.at = p.collected_at AND k.id > %(first)s
        ORDER BY p.g
        """,
        {"first": first[mr.ParcelPickup]},
    )
    # The outbox: an arrival notice for every parcel, the reminders and
    # escalations of those left waiting, the notice of a return.
    cursor.execute(
        """
        INSERT INTO mailroom_notification
            (mall_id, parcel_id, kind, to_name, to_phone, params, status, created_at, sent_at,
             backend, attempts, error)
        SELECT p.mall_id, p.id, n.kind,
               coalesce(nullif(p.recipient_name, ''), un.contact_name, ''),
               coalesce(nullif(p.recipient_phone, ''), un.contact_phone, ''),
               jsonb_build_object('pickup_code', p.pickup_code, 'carrier', p.carrier,
                                  'tracking_number', p.tracking_number),
               'sent', n.at, n.at + interval '1 minute', 'record-only', 1, ''
        FROM mailroom_parcel p
        LEFT JOIN mallservice_unit un ON un.id = p.recipient_unit_id
        CROSS JOIN LATERAL (
            VALUES ('arrival', p.received_at), ('reminder', p.reminder_sent_at),
                   ('escalation', p.escalation_sent_at), ('returned', p.returned_at)
        ) n(kind, at)
        WHERE p.id > %s AND n.at IS NOT NULL
        """,
        [first[mr.Parcel]],
    )


def _outgoing(cursor, n: int, days: int, first_batch: int) -> None:
    """Items handed in by the departments through the day, collected by the
    carrier's courier at four; today's few still wait."""
    cursor.execute("DROP TABLE IF EXISTS _bench_out")
    cursor.execute(
        f"""
        CREATE TEMP TABLE _bench_out AS
        SELECT g, m.mall_id, d.ids[1 + g %% array_length(d.ids, 1)] AS desk_id,
               (ARRAY['sf', 'sf', 'ems', 'jd', 'zto'])[1 + g %% 5] AS carrier,
               t.today - o.dayoff AS day, o.dayoff,
               (t.today - o.dayoff + time '09:00' + (g * 37 %% 400) * interval '1 minute')
                   AT TIME ZONE 'Asia/Shanghai' AS logged_at
        FROM generate_series(1::bigint, %(n)s) g
        {TODAY} t
        CROSS JOIN LATERAL (SELECT 1 + ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff) o
        {MALL_OF_G}
        JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
        """,
        {"n": n, "days": days},
    )
    cursor.execute(
        """
        INSERT INTO mailroom_dispatchbatch (mall_id, carrier, courier_name, dispatched_by_id,
                                            dispatched_at)
        SELECT mall_id, carrier, '快递员' || (min(g) %% 20), min(desk_id),
               (day + time '16:00') AT TIME ZONE 'Asia/Shanghai'
        FROM _bench_out GROUP BY mall_id, carrier, day
        """
    )
    cursor.execute(
        """
        INSERT INTO mailroom_outgoingmail
            (mall_id, sender_department, sender_staff_id, addressee, address, carrier,
             tracking_number, cost, status, batch_id, logged_by_id, logged_at)
        SELECT o.mall_id,
               (ARRAY['customer_service', 'property', 'marketing', 'leasing', 'finance',
                      'security', 'engineering', 'admin'])[1 + o.g %% 8],
               NULL, '收件单位' || (o.g %% 300), '上海市浦东新区' || (o.g %% 900) || '号',
               o.carrier,
               CASE WHEN o.carrier IN ('sf', 'jd') THEN upper(o.carrier) ELSE '' END
                   || (2000000000000 + o.g)::text,
               12 + o.g %% 30, 'dispatched', b.id, o.desk_id, o.logged_at
        FROM _bench_out o
        JOIN mailroom_dispatchbatch b
            ON b.mall_id = o.mall_id AND b.carrier = o.carrier
           AND b.dispatched_at = (o.day + time '16:00') AT TIME ZONE 'Asia/Shanghai'
           AND b.id > %s
        """,
        [first_batch],
    )
    # A few items waiting for today's courier.
    cursor.execute(
        """
        INSERT INTO mailroom_outgoingmail
            (mall_id, sender_department, addressee, address, carrier, tracking_number, cost,
             status, logged_by_id, logged_at)
        SELECT d.mall_id, 'marketing', '合作方' || s, '', 'sf', '', 18, 'waiting',
               d.ids[1], now() - s * interval '20 minutes'
        FROM _bench_staff d CROSS JOIN generate_series(1, 4) s
        WHERE d.role = 'desk_staff'
        """
    )


def _found(cursor, n: int, days: int, first_id: int) -> None:
    """Found items through the years: a third claimed and released within
    three weeks, some valuables handed to the police early, the unclaimed
    handed over or disposed of after the year's retention (the last month's
    still waiting for it), the last year's held; claims with signatures, a
    rejected claim now and then, a few waiting for verification."""
    cursor.execute(
        f"""
        INSERT INTO mailroom_founditem
            (mall_id, number, category, description, photo, found_at, found_unit_id,
             found_place, finder_name, finder_phone, value_band, storage, storage_place,
             broadcast_requested, notice_published_at, retention_until, status, logged_by_id,
             logged_at, expired_at, disposal_at, disposal_by_id, disposal_reference,
             disposal_note)
        SELECT f.mall_id,
               -- numbered from 501 a day, clear of the demo's items
               'LF' || to_char(f.day, 'YYMMDD') || '-' || (500 + row_number() OVER (
                   PARTITION BY f.mall_id, f.day ORDER BY f.g))::text,
               f.category, f.description, '', f.found_at,
               CASE WHEN f.g %% 3 = 0 THEN f.unit_id END,
               CASE WHEN f.g %% 3 = 0 THEN ''
                    ELSE (ARRAY['一层中庭', '二层洗手间', '三层餐厅', '负一层停车场', '电影院门口'])
                        [1 + f.g %% 5] END,
               (ARRAY['保洁 张阿姨', '保安 李师傅', '顾客', '店员'])[1 + f.g %% 4],
               CASE WHEN f.g %% 4 = 2 THEN '137' || lpad((f.g * 7919 %% 100000000)::text, 8, '0')
                    ELSE '' END,
               f.value_band, CASE WHEN f.value_band = 'high' THEN 'cabinet' ELSE 'shelf' END,
               CASE WHEN f.value_band = 'high' THEN '保险柜' ELSE '货架' || (1 + f.g %% 6) END,
               f.g %% 10 = 0, f.found_at + interval '30 minutes', f.day + 365, f.status,
               f.desk_id, f.found_at + interval '20 minutes',
               CASE WHEN f.status IN ('expired', 'disposed') OR (f.status = 'to_police'
                         AND f.day + 365 < t.today)
                    THEN (f.day + 366 + time '03:00') AT TIME ZONE 'Asia/Shanghai' END,
               f.disposal_at, CASE WHEN f.disposal_at IS NOT NULL THEN f.sup_id END,
               CASE WHEN f.status = 'to_police' THEN '派出所收据' || f.g ELSE '' END, ''
        FROM (
            SELECT g, m.mall_id, x.*, d.ids[1 + g %% array_length(d.ids, 1)] AS desk_id,
                   s.ids[1 + g %% array_length(s.ids, 1)] AS sup_id,
                   u.ids[1 + g * 11 %% array_length(u.ids, 1)] AS unit_id,
                   CASE WHEN x.claimed_at < now() THEN 'released'
                        WHEN x.value_band = 'high' AND g %% 3 = 0 AND x.dayoff > 3 THEN 'to_police'
                        WHEN x.day + 365 >= t0.today THEN 'held'
                        WHEN x.day + 395 >= t0.today THEN 'expired'
                        WHEN x.value_band = 'high' THEN 'to_police'
                        ELSE 'disposed' END AS status,
                   CASE WHEN x.claimed_at < now() THEN NULL
                        WHEN x.value_band = 'high' AND g %% 3 = 0 AND x.dayoff > 3
                        THEN x.found_at + interval '2 days'
                        WHEN x.day + 395 >= t0.today THEN NULL
                        ELSE (x.day + 370 + time '15:00') AT TIME ZONE 'Asia/Shanghai'
                        END AS disposal_at
            FROM generate_series(1::bigint, %(n)s) g
            {TODAY} t0
            CROSS JOIN LATERAL (
                SELECT y.*, t0.today - y.dayoff AS day,
                       (t0.today - y.dayoff + time '10:00' + (g * 37 %% 690) * interval '1 minute')
                           AT TIME ZONE 'Asia/Shanghai' AS found_at,
                       CASE WHEN g %% 3 = 1 THEN
                           (t0.today - y.dayoff + 1 + (g %% 20)::int + time '14:00')
                               AT TIME ZONE 'Asia/Shanghai' END AS claimed_at
                FROM (
                    SELECT 1 + ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff,
                           (ARRAY['wallet', 'phone', 'electronics', 'bag', 'keys', 'documents',
                                  'jewellery', 'clothing', 'umbrella', 'child', 'glasses',
                                  'other', 'umbrella', 'clothing', 'child', 'keys'])
                               [1 + g %% 16] AS category,
                           (ARRAY['黑色', '棕色', '红色', '蓝色', '白色', '灰色'])[1 + g %% 6]
                               || (ARRAY['钱包', '手机', '耳机', '背包', '钥匙', '身份证',
                                         '手表', '外套', '雨伞', '玩具', '眼镜', '水杯',
                                         '雨伞', '围巾', '奶瓶', '钥匙串'])[1 + g %% 16]
                               AS description,
                           CASE WHEN g %% 16 IN (0, 1, 5, 6) THEN 'high'
                                WHEN g %% 16 IN (2, 3, 10) THEN 'medium' ELSE 'low' END
                               AS value_band
                ) y
            ) x
            {MALL_OF_G}
            JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
            JOIN _bench_staff s ON s.mall_id = m.mall_id AND s.role = 'supervisor'
            JOIN _bench_units u ON u.mall_id = m.mall_id
        ) f
        {TODAY} t
        """,
        {"n": n, "days": days},
    )
    # The released ones went to a verified, signing claimant; one in ten had
    # a claim refused first; one in a hundred held items has a claim waiting.
    cursor.execute(
        """
        INSERT INTO mailroom_itemclaim
            (mall_id, item_id, claimant_name, claimant_phone, id_last4, proof_description,
             status, logged_by_id, logged_at, verified_by_id, verified_at, verification_note,
             signature, released_by_id, released_at)
        SELECT i.mall_id, i.id, c.name, '135' || lpad((i.id * 7919 %% 100000000)::text, 8, '0'),
               lpad((i.id * 31 %% 10000)::text, 4, '0'), '里面有' || i.description || '，有划痕',
               c.status, i.logged_by_id, c.at - interval '30 minutes',
               CASE WHEN c.status <> 'pending' THEN i.logged_by_id END,
               CASE WHEN c.status <> 'pending' THEN c.at - interval '10 minutes' END,
               CASE c.status WHEN 'released' THEN '描述与物品吻合'
                             WHEN 'rejected' THEN '描述不符' ELSE '' END,
               CASE WHEN c.status = 'released' THEN %(signature)s ELSE '' END,
               CASE WHEN c.status = 'released' THEN i.logged_by_id END,
               CASE WHEN c.status = 'released' THEN c.at END
        FROM mailroom_founditem i
        CROSS JOIN LATERAL (
            SELECT 'released' AS status,
                   least(i.found_at + interval '1 day' * (1 + i.id %% 20) + interval '4 hours',
                         now() - interval '1 hour') AS at,
                   '失主' || (i.id %% 500) AS name
            WHERE i.status = 'released'
            UNION ALL
            SELECT 'rejected', i.found_at + interval '20 hours', '冒领者' || (i.id %% 50)
            WHERE i.status = 'released' AND i.id %% 10 = 0
            UNION ALL
            SELECT 'pending', now() - interval '1 hour', '顾客' || (i.id %% 500)
            WHERE i.status = 'held' AND i.id %% 100 = 0
        ) c
        WHERE i.id > %(first)s
        """,
        {"first": first_id, "signature": SIGNATURE},
    )


def _lost_reports(cursor, n: int, days: int) -> None:
    """Reports of lost items at the desk or by phone: the last weeks' still
    open, older ones resolved (the owner found it) or closed unfound."""
    cursor.execute(
        f"""
        INSERT INTO mailroom_lostreport
            (mall_id, source, category, description, lost_on, lost_unit_id, lost_place,
             reporter_name, reporter_phone, status, found_item_id, logged_by_id, logged_at)
        SELECT m.mall_id, CASE WHEN g %% 3 = 0 THEN 'phone' ELSE 'desk' END,
               (ARRAY['wallet', 'phone', 'electronics', 'bag', 'keys', 'documents', 'jewellery',
                      'clothing', 'umbrella', 'child', 'glasses', 'other'])[1 + g %% 12],
               '丢失物品' || (g %% 97), t.today - r.dayoff, NULL,
               (ARRAY['一层', '二层', '三层', '负一层'])[1 + g %% 4],
               '报失人' || (g %% 300), '136' || lpad((g * 7919 %% 100000000)::text, 8, '0'),
               CASE WHEN r.dayoff <= 21 THEN 'open' WHEN g %% 5 < 2 THEN 'resolved'
                    ELSE 'closed' END,
               NULL, d.ids[1 + g %% array_length(d.ids, 1)],
               (t.today - r.dayoff + time '15:00') AT TIME ZONE 'Asia/Shanghai'
        FROM generate_series(1::bigint, %(n)s) g
        {TODAY} t
        CROSS JOIN LATERAL (SELECT 1 + ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff) r
        {MALL_OF_G}
        JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
        """,
        {"n": n, "days": days},
    )


def _loans(cursor, days: int) -> None:
    """Each item in service lent on about half the days (umbrellas and power
    banks less), back within a few hours, the deposit handed back; now and
    then damaged or with parts missing."""
    cursor.execute(
        """
        INSERT INTO mailroom_loan
            (asset_id, mall_id, borrower_name, borrower_phone, deposit_kind, deposit_amount,
             id_last4, lent_by_id, lent_at, due_at, returned_at, returned_to_id,
             return_condition, return_note, deposit_returned_at)
        SELECT a.id, a.mall_id, '借用人' || (x.h %% 400),
               '137' || lpad((x.h * 7919 %% 100000000)::text, 8, '0'),
               CASE WHEN x.h %% 2 = 0 THEN 'cash' ELSE 'id_card' END,
               CASE WHEN x.h %% 2 = 0 THEN 200 END,
               CASE WHEN x.h %% 2 = 0 THEN '' ELSE lpad((x.h %% 10000)::text, 4, '0') END,
               d.ids[1 + x.h %% array_length(d.ids, 1)], x.lent_at, x.lent_at + interval '4 hours',
               x.back_at, d.ids[1 + (x.h + 1) %% array_length(d.ids, 1)], x.condition,
               CASE WHEN x.condition = 'good' THEN '' ELSE '轮子松动' END,
               CASE WHEN x.condition = 'good' OR x.h %% 2 = 1 THEN x.back_at END
        FROM mailroom_lendableasset a
        JOIN _bench_staff d ON d.mall_id = a.mall_id AND d.role = 'desk_staff'
        CROSS JOIN LATERAL generate_series(2, %(days)s) day_off
        CROSS JOIN LATERAL (
            SELECT hashint4((a.id * 10007 + day_off)::int)::bigint & 2147483647 AS h
        ) hh
        CROSS JOIN LATERAL (
            SELECT hh.h,
                   ((now() AT TIME ZONE 'Asia/Shanghai')::date - day_off + time '10:00'
                    + (hh.h %% 480) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai'
                       AS lent_at,
                   ((now() AT TIME ZONE 'Asia/Shanghai')::date - day_off + time '10:00'
                    + (hh.h %% 480 + 30 + hh.h %% 210) * interval '1 minute')
                       AT TIME ZONE 'Asia/Shanghai' AS back_at,
                   CASE WHEN hh.h %% 100 < 2 THEN 'damaged' WHEN hh.h %% 100 = 2 THEN 'incomplete'
                        ELSE 'good' END AS condition
        ) x
        WHERE a.is_active
          AND hh.h %% 100 < CASE WHEN a.kind IN ('wheelchair', 'stroller') THEN 50 ELSE 25 END
        """,
        {"days": days},
    )


def context(cursor) -> dict[str, Any]:
    """A waiting parcel's tracking number and another's pick-up code in the
    desk's mall (from the middle of the shelf, not the newest), and a shop to
    receive parcels for."""
    mall = Mall.objects.order_by("pk").first()
    waiting = mr.Parcel.objects.filter(mall=mall, status=mr.Parcel.Status.WAITING).order_by("pk")
    count = waiting.count()
    tracked = waiting[count // 2]
    coded = waiting[count // 3]
    unit = Unit.objects.filter(mall=mall, kind=Unit.Kind.SHOP, is_active=True).order_by("pk")[7]
    return {
        "tracking_number": tracked.tracking_number,
        "pickup_code": coded.pickup_code,
        "mailroom_mall_id": mall.pk,
        "mailroom_unit_id": unit.pk,
    }


SCENARIOS = [
    Page(
        "parcel check-in",
        lambda ctx: "/mailroom/parcels/receive/",
        target_p95_ms=30,
        desk_share=0.08,
        form=lambda ctx: {
            "mall": str(ctx["mailroom_mall_id"]),
            "tracking_number": "SF{n}",
            "carrier": "sf",
            "recipient_kind": "unit",
            "recipient_unit": str(ctx["mailroom_unit_id"]),
            "size": "small",
            "shelf": "A-3",
        },
        notes="a POST of the receive form, a new tracking number each time",
    ),
    Page(
        "parcel lookup by tracking number",
        lambda ctx: f"/mailroom/?q={ctx['tracking_number']}",
        target_p95_ms=30,
        desk_share=0.06,
    ),
    Page(
        "parcel lookup by pick-up code",
        lambda ctx: f"/mailroom/pickup/?q={ctx['pickup_code']}",
        target_p95_ms=30,
        desk_share=0.06,
    ),
    Page("found items list", lambda ctx: "/mailroom/found/", desk_share=0.02),
]
