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
from bench.data.mailroom import found
from bench.data.mailroom.found import SIGNATURE
from bench.scenarios import Page
from bench.sql import MALL_OF_G, TODAY, staff_table
from mailroom import models as mr
from mailroom import services
from mallservice.models import Mall, Message, Unit, User
from mallservice.roles import Role

YEARS_DAYS = 3 * 365
PARCELS = 500_000
FOUND_ITEMS = 100_000
LOST_REPORTS = 30_000
OUTGOING = 40_000
EXTRA_ASSETS = [("wheelchair", 2), ("stroller", 3), ("umbrella", 4), ("power_bank", 3)]

HISTORY = [
    (mr.ParcelPickup, "t.at"),
    (mr.Parcel, "t.received_at"),
    (Message, "t.created_at"),
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
        found.found_items(cursor, scaled(FOUND_ITEMS), scaled(YEARS_DAYS), first[mr.FoundItem])
        found.lost_reports(cursor, scaled(LOST_REPORTS), scaled(YEARS_DAYS))
        found.loans(cursor, scaled(YEARS_DAYS))
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
        INSERT INTO mallservice_message
            (mall_id, kind, source, channel, category, audience, recipient, recipient_name,
             template, params, subject, body, url, idempotency_key, status, created_at, due_at,
             next_attempt_at, attempts, sent_at, provider, provider_message_id, last_error)
        SELECT p.mall_id, 'mailroom.' || n.kind, 'parcel:' || p.id, 'sms',
               CASE WHEN n.kind IN ('reminder', 'escalation') THEN 'reminder' ELSE 'notice' END,
               CASE WHEN p.recipient_kind = 'customer' THEN 'customer' ELSE 'staff' END,
               coalesce(nullif(p.recipient_phone, ''), un.contact_phone, ''),
               coalesce(nullif(p.recipient_name, ''), un.contact_name, ''),
               'mailroom.' || n.kind,
               jsonb_build_object('pickup_code', p.pickup_code, 'carrier', p.carrier,
                                  'tracking_number', p.tracking_number),
               '', '取件码 ' || p.pickup_code, '', 'mailroom.' || n.kind || ':' || p.id,
               'recorded', n.at, n.at, n.at, 1, n.at + interval '1 minute', 'console', '', ''
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
