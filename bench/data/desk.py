"""Three years of the desk's registers: 200,000 incidents (nearly all
closed, the last days' still open, one in twenty urgent with its
duty-manager notice, one in three with a follow-up), 300,000 walk-in
services through the opening hours and 100,000 goods release passes —
plus the history all of it implies and the reference counters that follow
the numbers handed out.

Set-based SQL with triggers off, like the other parts."""

from __future__ import annotations

from typing import Any

from bench.data import scaled, triggers_off, write_history
from bench.scenarios import Page
from bench.sql import MALL_OF_G, TODAY, staff_table
from desk import models as dm
from mallservice.models import Mall, Message

YEARS_DAYS = 3 * 365
INCIDENTS = 200_000
WALKINS = 300_000
PASSES = 100_000

HISTORY = [
    (dm.Incident, "t.created_at"),
    (dm.IncidentFollowUp, "t.at"),
    (Message, "t.created_at"),
    (dm.WalkInService, "t.at"),
    (dm.ReleasePass, "t.created_at"),
]


def _max_id(cursor, model) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def generate(cursor) -> None:
    staff_table(cursor)
    first = {model: _max_id(cursor, model) for model, _at in HISTORY}
    cursor.execute("SELECT setseed(0.22)")
    with triggers_off(cursor):
        _incidents(cursor, scaled(INCIDENTS), scaled(YEARS_DAYS), first[dm.Incident])
        _walkins(cursor, scaled(WALKINS), scaled(YEARS_DAYS))
        _passes(cursor, scaled(PASSES), scaled(YEARS_DAYS))
    for model, created_at in HISTORY:
        write_history(cursor, model, where=f"t.id > {first[model]}", created_at=created_at)


def _incidents(cursor, n: int, days: int, first: int) -> None:
    """Incidents spread evenly back over `days`, numbered per mall and
    local year in time order; those of the last three days still open."""
    cursor.execute(
        f"""
        INSERT INTO desk_incident
            (mall_id, reference, kind, urgent, status, occurred_at, floor_id, unit_id, place,
             people_involved, description, actions_taken, police_called, ambulance_called,
             reported_by_id, created_at, closing_note, closed_at, closed_by_id)
        SELECT x.mall_id,
               'SJ-' || extract(year FROM x.local_at)::int || '-' || lpad((row_number() OVER (
                   PARTITION BY x.mall_id, extract(year FROM x.local_at)
                   ORDER BY x.occurred_at, x.g) + coalesce(k.last_number, 0))::text, 5, '0'),
               x.kind, x.urgent, x.status, x.occurred_at, u.floor_id, u.id,
               CASE WHEN x.g %% 4 = 0 THEN '扶梯口' ELSE '' END,
               (ARRAY['张女士', '王先生', '两名顾客', '商户员工', '—'])[1 + x.g %% 5],
               (ARRAY['顾客在扶梯口摔倒', '顾客突发头晕', '两名顾客发生争执', '部分区域停电',
                      '客梯困人', '烟感误报'])[1 + x.g %% 6],
               '已按流程处置', x.kind = 'fight' AND x.g %% 2 = 0, x.kind = 'medical',
               x.desk_id, x.occurred_at + interval '15 minutes',
               CASE WHEN x.status = 'closed' THEN '已处理完毕' ELSE '' END,
               CASE WHEN x.status = 'closed' THEN x.occurred_at + interval '1 day' END,
               CASE WHEN x.status = 'closed' THEN x.sup_id END
        FROM (
            SELECT g, m.mall_id,
                   t.today - r.dayoff + time '10:00' + (g * 37 %% 720) * interval '1 minute'
                       AS local_at,
                   (t.today - r.dayoff + time '10:00' + (g * 37 %% 720) * interval '1 minute')
                       AT TIME ZONE 'Asia/Shanghai' AS occurred_at,
                   (ARRAY['injury', 'injury', 'medical', 'fight', 'power', 'lift',
                          'fire_alarm', 'other'])[1 + g * 7 %% 8] AS kind,
                   g %% 20 = 0 AS urgent,
                   CASE WHEN r.dayoff <= 3 THEN (ARRAY['open', 'follow_up'])[1 + g %% 2]
                        ELSE 'closed' END AS status,
                   d.ids[1 + g %% array_length(d.ids, 1)] AS desk_id,
                   coalesce(s.ids[1 + g %% array_length(s.ids, 1)],
                            d.ids[1 + g %% array_length(d.ids, 1)]) AS sup_id
            FROM generate_series(1::bigint, %(n)s) g
            {TODAY} t
            CROSS JOIN LATERAL (SELECT ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff) r
            {MALL_OF_G}
            JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
            LEFT JOIN _bench_staff s ON s.mall_id = m.mall_id AND s.role = 'supervisor'
        ) x
        CROSS JOIN LATERAL (
            SELECT id, floor_id FROM mallservice_unit
            WHERE mall_id = x.mall_id AND is_active ORDER BY id
            OFFSET x.g %% 40 LIMIT 1
        ) u
        -- After the numbers the demo data took (seed_demo records a few).
        LEFT JOIN desk_referencecounter k
            ON k.mall_id = x.mall_id AND k.series = 'incident'
            AND k.year = extract(year FROM x.local_at)::int
        ORDER BY x.occurred_at
        """,
        {"n": n, "days": days},
    )
    cursor.execute(
        """
        INSERT INTO desk_incidentfollowup (incident_id, mall_id, at, by_id, note)
        SELECT i.id, i.mall_id, i.occurred_at + interval '3 hours', i.reported_by_id,
               '已电话回访当事人'
        FROM desk_incident i WHERE i.id > %(first)s AND (i.id %% 3 = 0 OR i.status = 'follow_up')
        """,
        {"first": first},
    )
    cursor.execute(
        """
        INSERT INTO mallservice_message
            (mall_id, kind, source, channel, category, audience, recipient, recipient_name,
             template, params, subject, body, url, idempotency_key, status, created_at, due_at,
             next_attempt_at, attempts, sent_at, provider, provider_message_id, last_error)
        SELECT i.mall_id, 'desk.incident_urgent', 'incident:' || i.id, 'sms', 'alert', 'staff',
               '', '值班经理', 'desk.incident_urgent', '{}', '', '紧急事件 ' || i.reference, '',
               'desk.incident_urgent:' || i.id, 'recorded', i.created_at, i.created_at,
               i.created_at, 1, i.created_at, 'console', '', ''
        FROM desk_incident i WHERE i.id > %(first)s AND i.urgent
        """,
        {"first": first},
    )
    # New incidents go on from the numbers handed out here.
    cursor.execute(
        """
        INSERT INTO desk_referencecounter (mall_id, series, year, last_number)
        SELECT mall_id, 'incident', split_part(reference, '-', 2)::int,
               max(split_part(reference, '-', 3)::int)
        FROM desk_incident GROUP BY 1, 3
        ON CONFLICT (mall_id, series, year) DO UPDATE SET last_number = EXCLUDED.last_number
        """
    )


def _walkins(cursor, n: int, days: int) -> None:
    """Services through the opening hours, busiest in the afternoon."""
    cursor.execute(
        f"""
        INSERT INTO desk_walkinservice (mall_id, category_id, at, by_id, token)
        SELECT m.mall_id, c.ids[1 + (g * 7 %% 13) %% array_length(c.ids, 1)],
               (t.today - r.dayoff + time '10:00'
                + (g * 37 %% 720) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai',
               d.ids[1 + g %% array_length(d.ids, 1)], md5('walkin' || g)
        FROM generate_series(1::bigint, %(n)s) g
        {TODAY} t
        CROSS JOIN LATERAL (SELECT ((%(n)s - g) * %(days)s / %(n)s)::int AS dayoff) r
        {MALL_OF_G}
        JOIN _bench_staff d ON d.mall_id = m.mall_id AND d.role = 'desk_staff'
        JOIN (SELECT mall_id, array_agg(id ORDER BY "order", id) AS ids
              FROM desk_walkincategory WHERE is_active GROUP BY mall_id) c
            ON c.mall_id = m.mall_id
        WHERE r.dayoff > 0
        """,
        {"n": n, "days": days},
    )


def _passes(cursor, n: int, days: int) -> None:
    """Shops' passes through the years: nearly all used, one in twelve
    refused, today's waiting or approved; codes P0000001… (unique)."""
    cursor.execute(
        f"""
        INSERT INTO desk_releasepass
            (mall_id, reference, code, unit_id, contact_name, items, quantity, vehicle,
             valid_from, valid_until, status, recorded_by_id, created_at, decided_by_id,
             decided_at, refusal_reason, used_at, used_by_id)
        SELECT x.mall_id,
               'FX-' || extract(year FROM x.local_at)::int || '-' || lpad((row_number() OVER (
                   PARTITION BY x.mall_id, extract(year FROM x.local_at)
                   ORDER BY x.created_at, x.g) + coalesce(k.last_number, 0))::text, 5, '0'),
               'P' || lpad(x.g::text, 7, '0'), u.id, '店长',
               (ARRAY['换季退仓服装', '展示柜', '返厂维修电器', '活动物料'])[1 + x.g %% 4],
               1 + x.g %% 20, CASE WHEN x.g %% 3 = 0 THEN '' ELSE '沪A' || (10000 + x.g %% 89999) END,
               x.created_at + interval '30 minutes', x.created_at + interval '4 hours',
               x.status, x.desk_id, x.created_at,
               CASE WHEN x.status <> 'requested' THEN x.desk_id END,
               CASE WHEN x.status <> 'requested' THEN x.created_at + interval '10 minutes' END,
               CASE WHEN x.status = 'refused' THEN '未盖店铺公章' ELSE '' END,
               CASE WHEN x.status = 'used' THEN x.created_at + interval '1 hour' END,
               CASE WHEN x.status = 'used' THEN x.desk_id END
        FROM (
            SELECT g, m.mall_id,
                   t.today - r.dayoff + time '09:00' + (g * 37 %% 600) * interval '1 minute'
                       AS local_at,
                   (t.today - r.dayoff + time '09:00' + (g * 37 %% 600) * interval '1 minute')
                       AT TIME ZONE 'Asia/Shanghai' AS created_at,
                   CASE WHEN r.dayoff = 0 THEN (ARRAY['requested', 'approved'])[1 + g %% 2]
                        WHEN g %% 12 = 0 THEN 'refused' ELSE 'used' END AS status,
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
            ON k.mall_id = x.mall_id AND k.series = 'release_pass'
            AND k.year = extract(year FROM x.local_at)::int
        """,
        {"n": n, "days": days},
    )
    cursor.execute(
        """
        INSERT INTO desk_referencecounter (mall_id, series, year, last_number)
        SELECT mall_id, 'release_pass', split_part(reference, '-', 2)::int,
               max(split_part(reference, '-', 3)::int)
        FROM desk_releasepass GROUP BY 1, 3
        ON CONFLICT (mall_id, series, year) DO UPDATE SET last_number = EXCLUDED.last_number
        """
    )


def context(cursor) -> dict[str, Any]:
    """An incident from the middle of the desk's mall's list, and a tally
    button of that mall."""
    mall = Mall.objects.order_by("pk").first()
    incidents = dm.Incident.objects.filter(mall=mall).order_by("pk")
    count = incidents.count()
    passes = dm.ReleasePass.objects.filter(mall=mall).order_by("pk")
    return {
        "pass_code": passes[passes.count() // 2].code,
        "desk_mall_id": mall.pk,
        "incident_id": incidents[count // 2].pk,
        "walkin_category_id": dm.WalkInCategory.objects.filter(mall=mall, code="enquiry").get().pk,
    }


SCENARIOS = [
    Page(
        "incident list",
        lambda ctx: "/desk/incidents/",
        target_p95_ms=100,
        desk_share=0.01,
        notes="issue 22: 200,000 incidents, p95 ≤ 100 ms",
    ),
    Page(
        "incident list, urgent and not closed",
        lambda ctx: "/desk/incidents/?status=live&urgent=on",
        target_p95_ms=100,
        user="bench-supervisor",
    ),
    Page(
        "incident list, page 40",
        lambda ctx: "/desk/incidents/?page=40",
        target_p95_ms=100,
    ),
    Page("incident page", lambda ctx: f"/desk/incidents/{ctx['incident_id']}/", target_p95_ms=100),
    Page(
        "walk-in tally click",
        lambda ctx: f"/desk/walk-ins/{ctx['walkin_category_id']}/tally/",
        target_p95_ms=30,
        desk_share=0.05,
        # A token unique per request (the button's, new at each rendering).
        form=lambda ctx: {"token": "bench-{n}"},
    ),
    Page(
        "release pass list",
        lambda ctx: "/desk/passes/",
        target_p95_ms=100,
        notes="issue 22: passes at volume, p95 ≤ 100 ms",
    ),
    Page(
        "release pass check at the exit",
        lambda ctx: f"/desk/passes/check/?code={ctx['pass_code']}",
        target_p95_ms=100,
    ),
    Page("walk-in tally buttons", lambda ctx: "/desk/walk-ins/", desk_share=0.02),
    Page(
        "walk-in load by hour",
        lambda ctx: "/desk/walk-ins/load/",
        target_p95_ms=100,
        user="bench-supervisor",
    ),
]
