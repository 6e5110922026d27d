"""The desk's other records over the same three years: the phone log
(电话接待记录, some calls turned into the phone complaints), fault reports
(故障报修) with their timelines and escalation rungs, and the stored daily
summaries."""

from __future__ import annotations

from bench.data.complaints.common import (
    LOCAL_TZ,
    SURNAMES,
    YEARS_DAYS,
    arr,
    insert_counters,
    local_time,
    pick,
)

R = "pg_temp.c_rnd"
# Draws of the phone log and the faults use their own row numbers.
CALL_ROWS = 10_000_000
FAULT_ROWS = 20_000_000
TOPICS = [
    ("inquiry", 50, "咨询营业时间及停车收费", "已答复"),
    ("lost_item", 17, "询问是否捡到钱包", "已登记，请留意回电"),
    ("suggestion", 9, "建议增加母婴室指引", "已转交运营部"),
    ("praise", 6, "表扬客服热情耐心", "已转达"),
    ("complaint", 3, "反映店铺服务问题", "已建议来服务台登记"),
    ("other", 15, "询问商场活动", "已答复"),
]
# fault type, weight, department (the default routing), what is wrong, the fix
FAULTS = [
    ("lighting", 22, "engineering", "走廊筒灯不亮，有两盏闪烁", "已更换灯管"),
    ("lift", 12, "engineering", "扶梯运行时有异响", "已调整链条并测试"),
    ("air_conditioning", 14, "engineering", "空调出风口滴水", "已疏通冷凝水管"),
    ("water", 10, "engineering", "洗手台水龙头关不紧", "已更换阀芯"),
    ("toilets", 16, "cleaning", "洗手间马桶堵塞", "已疏通"),
    ("doors", 8, "security", "消防通道门闭门器损坏", "已更换闭门器"),
    ("signage", 6, "engineering", "导视牌灯箱不亮", "已更换镇流器"),
    ("screens", 4, "engineering", "中庭大屏黑屏", "已重启并更换电源"),
    ("other", 8, "engineering", "地面瓷砖松动", "已重新铺贴"),
]


def _name(g: str, k: int) -> str:
    return (
        f"substr('{SURNAMES}', 1 + floor({R}({g}, {k}) * {len(SURNAMES)})::int, 1)"
        f" || CASE WHEN {R}({g}, {k + 1}) < 0.55 THEN '女士' ELSE '先生' END"
    )


def _by_index(values: list[str], index: str) -> str:
    return "(ARRAY[" + ", ".join(f"'{v}'" for v in values) + f"])[{index}]"


def insert_phone_calls(cursor, *, n: int, complaints: int, base: int, now) -> None:
    """The phone log: about one call in eight became a phone complaint (the
    call is linked to it, logged a few minutes before its intake); the rest
    are inquiries, lost items, suggestions, praise and other calls."""
    share = min(1.0, 0.12 * n / max(1, 0.30 * complaints))
    cursor.execute(
        f"""
        INSERT INTO complaints_phonecall (mall_id, at, direction, caller_name, phone, topic,
                                          summary, outcome, handled_by_id, complaint_id)
        SELECT c.mall_id, c.received_at - interval '3 minutes', 'in', c.complainant_name,
               c.complainant_phone, 'complaint', c.description, '转为投诉', c.created_by_id, c.id
        FROM complaints_complaint c
        WHERE c.id > %s AND c.channel = 'phone' AND {R}(c.id, 60) < %s
        ORDER BY c.id
        """,
        [base, share],
    )
    linked = cursor.rowcount
    topic = pick(f"{R}(g, 103)", [(str(i + 1), w) for i, (_t, w, _s, _o) in enumerate(TOPICS)])
    cursor.execute(
        f"""
        INSERT INTO complaints_phonecall (mall_id, at, direction, caller_name, phone, topic,
                                          summary, outcome, handled_by_id, complaint_id)
        SELECT mall_id, at, direction, caller_name, phone,
               {_by_index([t[0] for t in TOPICS], "ti")},
               {_by_index([t[2] for t in TOPICS], "ti")},
               {_by_index([t[3] for t in TOPICS], "ti")}, handled_by_id, NULL
        FROM (
            SELECT m.mall_id, {topic} AS ti,
                   least({local_time(f"floor({R}(g, 101) * {YEARS_DAYS})", f"{R}(g, 102)")},
                         %(now)s::timestamptz - interval '1 minute') AS at,
                   CASE WHEN {R}(g, 104) < 0.85 THEN 'in' ELSE 'out' END AS direction,
                   CASE WHEN {R}(g, 105) < 0.7 THEN {_name("g", 106)} ELSE '' END
                       AS caller_name,
                   CASE WHEN {R}(g, 108) < 0.8
                        THEN '1' || (ARRAY['3','5','8','7','9'])[1 + floor({R}(g, 109) * 5)::int]
                             || lpad(floor({R}(g, 110) * 1e9)::bigint::text, 9, '0')
                        ELSE '' END AS phone,
                   {arr("m.desks", f"{R}(g, 111)")} AS handled_by_id
            FROM generate_series({CALL_ROWS} + 1, {CALL_ROWS} + %(n)s) g
            JOIN bench_cm m ON m.idx = CASE WHEN {R}(g, 100) < 0.55 THEN 0 ELSE 1 END
        ) s
        ORDER BY at
        """,
        {"n": max(0, n - linked), "now": now},
    )


def plan_faults(cursor, *, n: int, base: int, now) -> None:
    """bench_fp: each fault report with its place, type, reporter and the
    step it has reached now (fixed, then confirmed and closed)."""
    kind = pick(f"{R}(g, 202)", [(str(i + 1), w) for i, (_t, w, _d, _s, _f) in enumerate(FAULTS)])
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_fp ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY f.received_at, f.g) + %(base)s AS id, f.*,
               f.received_at + f.res_h * interval '1 hour' AS due_at,
               f.received_at + (f.res_h - f.warn_h) * interval '1 hour' AS warn_at,
               f.received_at + 2 * f.res_h * interval '1 hour' AS manager_at,
               CASE WHEN %(now)s < f.t_fix THEN 'assigned'
                    WHEN %(now)s < f.t_close THEN 'fixed' ELSE 'closed' END AS state
        FROM (
            SELECT s.*,
                   CASE s.severity WHEN 'safety' THEN 4 WHEN 'urgent' THEN 16 ELSE 48 END
                       AS res_h,
                   CASE s.severity WHEN 'safety' THEN 0.5 WHEN 'urgent' THEN 1 ELSE 2 END
                       AS warn_h,
                   s.received_at + (0.3 + 40 * power({R}(s.g, 210), 3)) * interval '1 hour'
                       + CASE WHEN {R}(s.g, 211) < 0.05
                              THEN {R}(s.g, 212) * 20 * interval '1 day'
                              ELSE interval '0' END AS t_fix,
                   s.received_at + (0.3 + 40 * power({R}(s.g, 210), 3)) * interval '1 hour'
                       + CASE WHEN {R}(s.g, 211) < 0.05
                              THEN {R}(s.g, 212) * 20 * interval '1 day'
                              ELSE interval '0' END
                       + (0.5 + 12 * {R}(s.g, 213)) * interval '1 hour' AS t_close
            FROM (
                SELECT g, m.idx AS mi, m.mall_id, m.fault_prefix, {kind} AS fi,
                       least({local_time(f"floor({R}(g, 200) * {YEARS_DAYS})", f"{R}(g, 201)")},
                             %(now)s::timestamptz - interval '2 minutes') AS received_at,
                       CASE WHEN {R}(g, 203) < 0.03 THEN 'safety'
                            WHEN {R}(g, 203) < 0.18 THEN 'urgent' ELSE 'normal' END AS severity,
                       {R}(g, 204) AS r_place,
                       {R}(g, 205) AS r_where,
                       {
            pick(f"{R}(g, 206)", [("'staff'", 60), ("'shop'", 25), ("'customer'", 15)])
        } AS reporter_kind,
                       {arr("m.desks", f"{R}(g, 207)")} AS created_by_id,
                       {arr("m.sups", f"{R}(g, 208)")} AS supervisor_id,
                       {arr("m.shops", f"{R}(g, 209)")} AS reporter_unit_id,
                       m.areas, m.area_floors, m.shops, m.shop_floors, m.floors
                FROM generate_series({FAULT_ROWS} + 1, {FAULT_ROWS} + %(n)s) g
                JOIN bench_cm m ON m.idx = CASE WHEN {R}(g, 199) < 0.55 THEN 0 ELSE 1 END
            ) s
        ) f
        ORDER BY 1
        """,
        {"n": n, "base": base, "now": now},
    )


def insert_faults(cursor, *, base: int, now) -> None:
    cursor.execute(
        f"""
        INSERT INTO complaints_faultreport (
            id, mall_id, reference, received_at, floor_id, unit_id, location_note, fault_type,
            severity, description, photo, reporter_kind, reporter_name, reporter_unit_id,
            phone_call_id, complaint_id, state, handler_department, handler_name,
            handler_due_at, assignment_no, fix_text, fixed_at, closed_at, sent_back_count,
            resolution_due_at, sla_state, repeat_count, is_repeat, created_by_id, updated_at)
        SELECT f.id, f.mall_id,
               f.fault_prefix || '-' || to_char(f.received_at AT TIME ZONE '{LOCAL_TZ}',
                                                 'YYYYMMDD')
               || '-' || CASE WHEN f.number < 1000 THEN lpad(f.number::text, 3, '0')
                              ELSE f.number::text END,
               f.received_at,
               CASE WHEN f.r_where < 0.65 THEN {arr("f.area_floors", "f.r_place")}
                    WHEN f.r_where < 0.85 THEN {arr("f.shop_floors", "f.r_place")}
                    ELSE {arr("f.floors", "f.r_place")} END,
               CASE WHEN f.r_where < 0.65 THEN {arr("f.areas", "f.r_place")}
                    WHEN f.r_where < 0.85 THEN {arr("f.shops", "f.r_place")} END,
               CASE WHEN f.r_where >= 0.85 THEN '近 ' || (1 + floor(f.r_place * 6))::int
                    || ' 号扶梯' ELSE '' END,
               {_by_index([x[0] for x in FAULTS], "f.fi")}, f.severity,
               {_by_index([x[3] for x in FAULTS], "f.fi")}, '', f.reporter_kind,
               CASE WHEN f.reporter_kind = 'customer' THEN {_name("f.g", 220)} ELSE '' END,
               CASE WHEN f.reporter_kind = 'shop' THEN f.reporter_unit_id END,
               NULL, NULL, f.state,
               {_by_index([x[2] for x in FAULTS], "f.fi")}, '', f.due_at, 1,
               CASE WHEN f.state <> 'assigned' THEN {_by_index([x[4] for x in FAULTS], "f.fi")}
                    ELSE '' END,
               CASE WHEN f.state <> 'assigned' THEN f.t_fix END,
               CASE WHEN f.state = 'closed' THEN f.t_close END,
               0, f.due_at,
               CASE WHEN f.t_end > f.manager_at THEN 'escalated'
                    WHEN f.t_end > f.due_at THEN 'breached'
                    WHEN f.t_end > f.warn_at THEN 'warned' ELSE 'on_track' END,
               CASE WHEN {R}(f.g, 222) < 0.08 THEN 2 + floor({R}(f.g, 223) * 3)::int ELSE 1 END,
               {R}(f.g, 222) < 0.08, f.created_by_id,
               CASE WHEN f.state = 'closed' THEN f.t_close
                    WHEN f.state = 'fixed' THEN f.t_fix ELSE f.received_at END
        FROM (
            SELECT p.*,
                   row_number() OVER (
                       PARTITION BY p.mall_id, (p.received_at AT TIME ZONE '{LOCAL_TZ}')::date
                       ORDER BY p.id)
                   + coalesce(dc.last_number, 0) AS number,
                   CASE WHEN p.state = 'assigned' THEN %(now)s ELSE p.t_fix END AS t_end
            FROM bench_fp p
            LEFT JOIN complaints_dailycounter dc
                 ON dc.mall_id = p.mall_id AND dc.series = 'fault'
                AND dc.day = (p.received_at AT TIME ZONE '{LOCAL_TZ}')::date
        ) f
        ORDER BY f.id
        """,
        {"now": now},
    )
    insert_counters(cursor, series="fault", table="complaints_faultreport", base=base)
    # The ladder: an open fault has all three rungs; a fixed one keeps them
    # (sent back, they run again); a closed one keeps those that fired.
    cursor.execute(
        """
        INSERT INTO complaints_escalation (mall_id, fault_id, level, period, due_at, fired_at,
                                           recipients)
        SELECT f.mall_id, f.id, r.level, 0, r.due_at,
               CASE WHEN r.due_at + interval '1 minute' <= coalesce(f.fixed_at, %(now)s)
                    THEN r.due_at + interval '1 minute' END,
               CASE WHEN r.level <> 'warning'
                         AND r.due_at + interval '1 minute' <= coalesce(f.fixed_at, %(now)s)
                    THEN jsonb_build_array(p.supervisor_id) ELSE '[]'::jsonb END
        FROM complaints_faultreport f
        JOIN bench_fp p ON p.id = f.id
        CROSS JOIN LATERAL (VALUES ('warning', p.warn_at), ('supervisor', p.due_at),
                                   ('manager', p.manager_at)) AS r(level, due_at)
        WHERE f.id > %(base)s
          AND (f.state <> 'closed' OR r.due_at + interval '1 minute' <= f.fixed_at)
        ORDER BY f.id
        """,
        {"base": base, "now": now},
    )
    cursor.execute(
        """
        INSERT INTO complaints_activity (mall_id, fault_id, at, code, actor_id, text, data)
        SELECT f.mall_id, f.id, e.at, e.code, e.actor, e.text, e.data
        FROM complaints_faultreport f
        CROSS JOIN LATERAL (VALUES
            (f.received_at, 'received', f.created_by_id, '',
             jsonb_build_object('fault_type', f.fault_type, 'severity', f.severity,
                                'reporter_kind', f.reporter_kind, 'repeat', f.is_repeat)),
            (f.received_at, 'assigned', f.created_by_id, '',
             jsonb_build_object('handler_kind', 'department', 'department',
                                f.handler_department, 'handler', '',
                                'due_at', to_char(f.handler_due_at,
                                                  'YYYY-MM-DD"T"HH24:MI:SSOF'))),
            (f.fixed_at, 'fixed', f.created_by_id, f.fix_text,
             jsonb_build_object('handler', '')),
            (f.closed_at, 'closed', f.created_by_id, '', '{}'::jsonb)
        ) AS e(at, code, actor, text, data)
        WHERE f.id > %(base)s AND e.at IS NOT NULL
        UNION ALL
        SELECT e.mall_id, e.fault_id, e.fired_at,
               CASE WHEN e.level = 'warning' THEN 'sla_warning' ELSE 'escalated' END, NULL, '',
               jsonb_build_object('level', e.level, 'handler', '', 'recipients', e.recipients)
        FROM complaints_escalation e
        WHERE e.fault_id > %(base)s AND e.fired_at IS NOT NULL
        """,
        {"base": base},
    )


def insert_summaries(cursor, *, base: int, now) -> None:
    """The stored daily summary (每日汇总) of each mall-day before today,
    with the figures the generated rows give: received by category,
    resolved, callbacks by satisfaction, calls logged."""
    day = f"(%s AT TIME ZONE '{LOCAL_TZ}')"
    cursor.execute(
        f"""
        INSERT INTO complaints_summary (mall_id, period, starts_on, ends_on, generated_at, data,
                                        emailed_to)
        SELECT m.mall_id, 'day', d.day, d.day,
               (d.day + time '17:30') AT TIME ZONE '{LOCAL_TZ}',
               jsonb_build_object(
                   'received', coalesce(r.n, 0), 'resolved', coalesce(v.n, 0),
                   'open', 0, 'overdue', 0, 'by_category', coalesce(r.by_category, '[]'),
                   'by_floor', '[]'::jsonb, 'by_shop', '[]'::jsonb,
                   'avg_resolve_minutes', v.avg_minutes,
                   'satisfaction', coalesce(s.counts, '{{}}'), 'calls', coalesce(k.n, 0),
                   'calls_by_topic', '[]'::jsonb),
               '[]'::jsonb
        FROM bench_cm m
        CROSS JOIN LATERAL (
            SELECT generate_series({day}::date - {YEARS_DAYS}, {day}::date - 1,
                                   interval '1 day')::date AS day
        ) d
        LEFT JOIN (
            SELECT mall_id, day, sum(n) AS n,
                   jsonb_agg(jsonb_build_array(name, n) ORDER BY n DESC, name) AS by_category
            FROM (
                SELECT c.mall_id, (c.received_at AT TIME ZONE '{LOCAL_TZ}')::date AS day,
                       k.name, count(*) AS n
                FROM complaints_complaint c JOIN complaints_category k ON k.id = c.category_id
                WHERE c.id > %s GROUP BY 1, 2, 3
            ) x GROUP BY 1, 2
        ) r ON r.mall_id = m.mall_id AND r.day = d.day
        LEFT JOIN (
            SELECT mall_id, (resolved_at AT TIME ZONE '{LOCAL_TZ}')::date AS day, count(*) AS n,
                   round(avg(extract(epoch FROM resolved_at - received_at)) / 60) AS avg_minutes
            FROM complaints_complaint WHERE id > %s AND resolved_at IS NOT NULL GROUP BY 1, 2
        ) v ON v.mall_id = m.mall_id AND v.day = d.day
        LEFT JOIN (
            SELECT mall_id, day, jsonb_object_agg(satisfaction, n) AS counts
            FROM (
                SELECT mall_id, (called_back_at AT TIME ZONE '{LOCAL_TZ}')::date AS day,
                       satisfaction, count(*) AS n
                FROM complaints_complaint
                WHERE id > %s AND called_back_at IS NOT NULL GROUP BY 1, 2, 3
            ) y GROUP BY 1, 2
        ) s ON s.mall_id = m.mall_id AND s.day = d.day
        LEFT JOIN (
            SELECT mall_id, (at AT TIME ZONE '{LOCAL_TZ}')::date AS day, count(*) AS n
            FROM complaints_phonecall GROUP BY 1, 2
        ) k ON k.mall_id = m.mall_id AND k.day = d.day
        ON CONFLICT (mall_id, period, starts_on) DO NOTHING
        """,
        [now, now, base, base, base],
    )
