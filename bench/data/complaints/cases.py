"""Complaints over three years and what the desk did with them: the plan of
each complaint (where, what, who, and when each step would happen), the
complaints as of now (a step in the future has not happened yet, which
leaves the recent ones open), their timelines, escalation rungs,
compensation and the per-day reference counters.

Times are wall-clock approximations of the SLA in opening hours: enough for
the lists, filters and reports to see realistic shares of overdue work."""

from __future__ import annotations

from bench.data.complaints.common import (
    CATEGORIES,
    GIVEN,
    LOCAL_TZ,
    SURNAMES,
    YEARS_DAYS,
    arr,
    local_time,
    pick,
)

R = "pg_temp.c_rnd"
CHANNELS = [("'desk'", 55), ("'phone'", 30), ("'platform'", 8), ("'letter'", 2), ("'other'", 5)]
RESPONSES = [
    "已与店铺沟通，店铺同意退换",
    "店长已致歉并加强员工培训",
    "已核实小票，差价已退还",
    "工程部已到场处理",
    "已安排保洁加强巡查",
]
SATISFACTION = [("'satisfied'", 70), ("'neutral'", 20), ("'dissatisfied'", 10)]


def _category_sql(draw: str) -> str:
    return pick(draw, [(str(i + 1), w) for i, (_c, w, _d, _r, _a) in enumerate(CATEGORIES)])


def _text_by_category(index: int) -> str:
    return "(ARRAY[" + ", ".join(f"'{c[index]}'" for c in CATEGORIES) + "])[ci]"


def plan_complaints(cursor, *, n: int, base: int, now) -> None:
    """bench_cp: one row per complaint with its id (in time order), place,
    category, complainant and the planned time of every step."""
    area_cats = "ARRAY[" + ", ".join(str(c[4]).lower() for c in CATEGORIES) + "]"
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_cp ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY t.received_at, p0.g) + %(base)s AS id,
               p0.*, t.received_at
        FROM (
            SELECT a.*, m.mall_id, m.prefix,
                   CASE WHEN ({area_cats})[a.ci] THEN {arr("m.areas", "a.r_unit")}
                        ELSE {arr("m.shops", "a.r_unit")} END AS unit_id,
                   CASE WHEN ({area_cats})[a.ci] THEN {arr("m.area_floors", "a.r_unit")}
                        ELSE {arr("m.shop_floors", "a.r_unit")} END AS floor_id,
                   CASE WHEN ({area_cats})[a.ci] THEN ''
                        ELSE {arr("m.shop_names", "a.r_unit")} END AS shop_name,
                   m.cats[a.ci] AS category_id,
                   {arr("m.desks", f"{R}(a.g, 9)")} AS created_by_id,
                   {arr("m.sups", f"{R}(a.g, 10)")} AS supervisor_id
            FROM (
                SELECT g,
                       CASE WHEN {R}(g, 1) < 0.55 THEN 0 ELSE 1 END AS mi,
                       {_category_sql(f"{R}(g, 3)")} AS ci,
                       {R}(g, 4) AS r_unit,
                       {pick(f"{R}(g, 5)", CHANNELS)} AS channel,
                       {local_time(f"floor({R}(g, 2) * {YEARS_DAYS})", f"{R}(g, 6)")} AS t0,
                       substr('{SURNAMES}', 1 + floor({R}(g, 7) * {len(SURNAMES)})::int, 1)
                       || CASE WHEN {R}(g, 8) < 0.5
                               THEN CASE WHEN {R}(g, 11) < 0.55 THEN '女士' ELSE '先生' END
                               ELSE substr('{GIVEN}', 1 + floor({R}(g, 11) * {len(GIVEN)})::int, 1)
                                    || CASE WHEN {R}(g, 12) < 0.6 THEN substr('{GIVEN}',
                                       1 + floor({R}(g, 12) * 0.6 * {len(GIVEN)})::int, 1)
                                       ELSE '' END
                          END AS complainant_name,
                       CASE WHEN {R}(g, 13) < 0.85
                            THEN '1' || (ARRAY['3','5','8','7','9'])[1 + floor({R}(g, 14) * 5)::int]
                                 || lpad(floor({R}(g, 15) * 1e9)::bigint::text, 9, '0')
                            ELSE '' END AS complainant_phone,
                       {R}(g, 16) AS r_sev
                FROM generate_series(1, %(n)s) g
            ) a
            JOIN bench_cm m ON m.idx = a.mi
        ) p0
        CROSS JOIN LATERAL (
            SELECT CASE WHEN p0.t0 > %(now)s::timestamptz - interval '2 minutes'
                        THEN p0.t0 - interval '1 day' ELSE p0.t0 END AS received_at
        ) t
        ORDER BY 1
        """,
        {"n": n, "base": base, "now": now},
    )
    # The severity's targets (wall clock) and the planned time of each step.
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_cs ON COMMIT DROP AS
        SELECT c.*,
               c.received_at + s.response_min * interval '1 minute' AS response_due_at,
               c.received_at + s.resolution_h * interval '1 hour' AS resolution_due_at,
               c.received_at + (s.resolution_h - s.warn_h) * interval '1 hour' AS warn_at,
               c.received_at + 2 * s.resolution_h * interval '1 hour' AS manager_at,
               p.counter, p.merged, p.t_assign, p.t_respond,
               greatest(p.t_respond + interval '10 minutes', p.t_resolve) AS t_verify
        FROM (
            SELECT b.*,
                   CASE WHEN b.ci = 7 THEN 'safety'
                        WHEN b.r_sev < 0.13 THEN 'urgent' ELSE 'normal' END AS severity
            FROM bench_cp b
        ) c
        CROSS JOIN LATERAL (
            SELECT CASE c.severity WHEN 'safety' THEN 10 WHEN 'urgent' THEN 30 ELSE 120 END
                       AS response_min,
                   CASE c.severity WHEN 'safety' THEN 2 WHEN 'urgent' THEN 16 ELSE 48 END
                       AS resolution_h,
                   CASE c.severity WHEN 'safety' THEN 0.5 WHEN 'urgent' THEN 1 ELSE 2 END
                       AS warn_h
        ) s
        CROSS JOIN LATERAL (
            SELECT {R}(c.g, 20) < 0.15 AND c.severity <> 'safety' AS counter,
                   c.g % 100 = 37 AS merged,
                   c.received_at + (10 + 30 * {R}(c.g, 21)) * interval '1 minute' AS t_assign,
                   c.received_at + (15 + 30 * {R}(c.g, 21)) * interval '1 minute'
                       + 10 * power({R}(c.g, 22), 4) * interval '1 hour' AS t_respond,
                   c.received_at + CASE
                       WHEN c.severity = 'safety'
                           THEN (0.3 + 3 * power({R}(c.g, 23), 2)) * interval '1 hour'
                       ELSE (0.5 + 48 * power({R}(c.g, 23), 4)) * interval '1 hour'
                            + CASE WHEN {R}(c.g, 24) < 0.08
                                   THEN {R}(c.g, 25) * 30 * interval '1 day'
                                   ELSE interval '0' END
                   END AS t_resolve
        ) p
        """
    )
    # The step each complaint has reached now, and when it ends (resolved).
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_cx ON COMMIT DROP AS
        SELECT s.*,
               CASE WHEN s.counter
                    THEN s.received_at + (5 + 25 * {R}(s.g, 23)) * interval '1 minute'
                    ELSE s.t_verify END AS t_done
        FROM bench_cs s
        """
    )
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_cc ON COMMIT DROP AS
        SELECT x.*, t.t_callback, t.t_close, t.t_merge,
               CASE
                   WHEN x.merged AND t.t_merge <= %(now)s THEN 'merged'
                   WHEN NOT x.counter AND %(now)s < x.t_assign THEN 'new'
                   WHEN x.counter AND %(now)s < x.t_done THEN 'new'
                   WHEN NOT x.counter AND %(now)s < x.t_respond THEN 'assigned'
                   WHEN %(now)s < x.t_done THEN 'responded'
                   WHEN %(now)s < t.t_callback THEN 'verified'
                   WHEN %(now)s < t.t_close THEN 'called_back'
                   ELSE 'closed'
               END AS state
        FROM bench_cx x
        CROSS JOIN LATERAL (
            SELECT x.t_done + interval '1 hour' + 30 * {R}(x.g, 26) * interval '1 hour'
                       AS t_callback,
                   x.t_done + interval '1 hour' + 30 * {R}(x.g, 26) * interval '1 hour'
                       + (5 + 55 * {R}(x.g, 27)) * interval '1 minute' AS t_close,
                   x.received_at + (20 + 40 * {R}(x.g, 21)) * interval '1 minute' AS t_merge
        ) t
        """,
        {"now": now},
    )


def insert_complaints(cursor, *, now, members: bool) -> None:
    """The complaints as of `now`, linked to members of their mall when the
    members table holds enough of them (the members part ran)."""
    if members:
        # Numbered active members per mall; a complaint in six names one.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_mm ON COMMIT DROP AS
            SELECT m.mall_id, row_number() OVER (PARTITION BY m.mall_id ORDER BY m.id) AS rn,
                   m.id, m.name, m.phone, coalesce(t.code, '') AS tier_code
            FROM members_member m LEFT JOIN members_tier t ON t.id = m.tier_id
            WHERE m.status = 'active'
            """
        )
        cursor.execute("CREATE INDEX ON bench_mm (mall_id, rn)")
        cursor.execute(
            "CREATE TEMP TABLE bench_mn ON COMMIT DROP AS "
            "SELECT mall_id, count(*) AS n FROM bench_mm GROUP BY mall_id"
        )
        member_join = f"""
            LEFT JOIN bench_mn mn ON mn.mall_id = c.mall_id
                 AND {R}(c.g, 30) < least(0.16, 2.0 * mn.n / %(per_mall)s)
            LEFT JOIN bench_mm mm ON mm.mall_id = c.mall_id
                 AND mm.rn = 1 + floor({R}(c.g, 31) * mn.n)::bigint
        """
    else:
        member_join = """
            LEFT JOIN (SELECT NULL::int AS id, ''::text AS name, ''::text AS phone,
                              ''::text AS tier_code) mm ON false
        """
    live = "c.state IN ('new', 'assigned', 'responded')"
    assigned = "c.state NOT IN ('new', 'merged') AND NOT c.counter"
    responded = f"{assigned} AND c.state <> 'assigned'"
    resolved = "c.state IN ('verified', 'called_back', 'closed')"
    end = "(CASE WHEN c.state = 'merged' THEN c.t_merge "
    end += f"WHEN {resolved} THEN c.t_done ELSE %(now)s END)"
    paused = f"({live} AND c.state <> 'new' AND {R}(c.g, 32) < 0.12)"
    cursor.execute(
        f"""
        INSERT INTO complaints_complaint (
            id, mall_id, reference, received_at, channel, complainant_name,
            complainant_phone, member_id, member_tier, floor_id, unit_id, category_id,
            description, remedy_requested, severity, state, status_id, status_category,
            handler_kind, handler_department, handler_unit_id, handler_name, handler_due_at,
            assignment_no, response_text, responded_at, verified_at, satisfaction,
            satisfaction_comment, called_back_at, closed_at, merged_into_id, reopen_count,
            response_due_at, resolution_due_at, first_response_at, resolved_at,
            paused_since, paused_minutes, sla_state, response_breached, created_by_id,
            updated_at)
        SELECT c.id, c.mall_id,
               c.prefix || '-' || to_char(c.received_at AT TIME ZONE '{LOCAL_TZ}', 'YYYYMMDD')
               || '-' || CASE WHEN c.number < 1000 THEN lpad(c.number::text, 3, '0')
                              ELSE c.number::text END,
               c.received_at, c.channel,
               CASE WHEN mm.id IS NULL THEN c.complainant_name ELSE mm.name END,
               CASE WHEN mm.id IS NULL THEN c.complainant_phone ELSE mm.phone END,
               mm.id,
               CASE WHEN mm.id IS NOT NULL THEN mm.tier_code
                    WHEN {R}(c.g, 33) < 0.03 AND cardinality(m.tiers) > 0
                        THEN {arr("m.tiers", f"{R}(c.g, 34)")}
                    ELSE '' END,
               c.floor_id, c.unit_id, c.category_id,
               {_text_by_category(2)}, {_text_by_category(3)},
               c.severity, c.state,
               CASE WHEN c.state IN ('closed', 'merged') THEN m.st_closed
                    WHEN {resolved} THEN m.st_resolved
                    WHEN {paused} THEN m.st_waiting ELSE m.st_open END,
               CASE WHEN c.state IN ('closed', 'merged') THEN 'closed'
                    WHEN {resolved} THEN 'resolved'
                    WHEN {paused} THEN 'paused' ELSE 'open' END,
               CASE WHEN NOT ({assigned}) THEN ''
                    WHEN c.handler = 'shop' AND c.shop_name = '' THEN 'floor_supervisor'
                    ELSE c.handler END,
               CASE WHEN ({assigned}) AND c.handler = 'department' THEN c.department ELSE '' END,
               CASE WHEN ({assigned}) AND c.handler = 'shop' AND c.shop_name <> ''
                    THEN c.unit_id END,
               CASE WHEN NOT ({assigned}) THEN ''
                    WHEN c.handler = 'shop' AND c.shop_name <> '' THEN c.shop_name
                    WHEN c.handler = 'department' THEN ''
                    ELSE substr('{SURNAMES}', 1 + floor({R}(c.g, 35) * 8)::int, 1) || '主管' END,
               CASE WHEN {assigned} THEN c.t_assign + interval '4 hours' END,
               CASE WHEN {assigned} THEN 1 ELSE 0 END,
               CASE WHEN {responded}
                    THEN (ARRAY[{", ".join(f"'{r}'" for r in RESPONSES)}])
                         [1 + floor({R}(c.g, 36) * {len(RESPONSES)})::int]
                    ELSE '' END,
               CASE WHEN {responded} THEN c.t_respond END,
               CASE WHEN {resolved} THEN c.t_done END,
               CASE WHEN c.state IN ('called_back', 'closed')
                    THEN {pick(f"{R}(c.g, 37)", SATISFACTION)} ELSE '' END,
               CASE WHEN c.state IN ('called_back', 'closed') AND {R}(c.g, 38) < 0.1
                    THEN '希望以后改进' ELSE '' END,
               CASE WHEN c.state IN ('called_back', 'closed') THEN c.t_callback END,
               CASE WHEN c.state = 'closed' THEN c.t_close
                    WHEN c.state = 'merged' THEN c.t_merge END,
               CASE WHEN c.state = 'merged' THEN c.previous_id END,
               0,
               c.response_due_at, c.resolution_due_at,
               CASE WHEN {responded} THEN c.t_respond
                    WHEN {resolved} THEN c.t_done END,
               CASE WHEN {resolved} THEN c.t_done END,
               CASE WHEN {paused} THEN c.t_assign + interval '1 hour' END,
               0,
               CASE WHEN {end} > c.manager_at THEN 'escalated'
                    WHEN {end} > c.resolution_due_at THEN 'breached'
                    WHEN {end} > c.warn_at THEN 'warned' ELSE 'on_track' END,
               coalesce(CASE WHEN {responded} THEN c.t_respond
                             WHEN {resolved} THEN c.t_done END, %(now)s) > c.response_due_at
                   AND c.state <> 'merged',
               c.created_by_id,
               greatest(c.received_at, LEAST(%(now)s, CASE WHEN c.state = 'closed'
                        THEN c.t_close ELSE c.t_done END))
        FROM (
            SELECT cc.*,
                   row_number() OVER (
                       PARTITION BY cc.mall_id, (cc.received_at AT TIME ZONE '{LOCAL_TZ}')::date
                       ORDER BY cc.id)
                   + coalesce(dc.last_number, 0) AS number,
                   lag(cc.id) OVER (PARTITION BY cc.mall_id ORDER BY cc.id) AS previous_id,
                   {
            pick(
                f"{R}(cc.g, 40)", [("'shop'", 50), ("'floor_supervisor'", 30), ("'department'", 20)]
            )
        } AS handler,
                   (ARRAY['cleaning', 'engineering', 'security', 'marketing'])
                       [1 + floor({R}(cc.g, 41) * 4)::int] AS department
            FROM bench_cc cc
            LEFT JOIN complaints_dailycounter dc
                 ON dc.mall_id = cc.mall_id AND dc.series = 'complaint'
                AND dc.day = (cc.received_at AT TIME ZONE '{LOCAL_TZ}')::date
        ) c
        JOIN bench_cm m ON m.idx = c.mi
        {member_join}
        ORDER BY c.id
        """,
        {"now": now, "per_mall": _per_mall(cursor)},
    )


def _per_mall(cursor) -> int:
    cursor.execute("SELECT count(*) / 2 + 1 FROM bench_cp")
    return cursor.fetchone()[0]


def insert_escalations(cursor, *, base: int, now) -> None:
    """The ladder of each complaint: an open (or paused) complaint has its
    three rungs, fired where their time has passed; a resolved or closed
    one keeps the rungs that fired before it was resolved."""
    cursor.execute(
        """
        INSERT INTO complaints_escalation (mall_id, complaint_id, level, period, due_at,
                                           fired_at, recipients)
        SELECT c.mall_id, c.id, r.level, 0, r.due_at,
               CASE WHEN r.due_at + interval '1 minute' <= r.until
                    THEN r.due_at + interval '1 minute' END,
               CASE WHEN r.due_at + interval '1 minute' > r.until THEN '[]'::jsonb
                    WHEN r.level = 'warning' THEN '[]'::jsonb
                    ELSE jsonb_build_array(x.supervisor_id) END
        FROM complaints_complaint c
        JOIN bench_cc x ON x.id = c.id
        CROSS JOIN LATERAL (VALUES
            ('warning', x.warn_at), ('supervisor', x.resolution_due_at),
            ('manager', x.manager_at)
        ) AS r0(level, due_at)
        CROSS JOIN LATERAL (
            SELECT r0.level, r0.due_at,
                   coalesce(c.resolved_at, c.closed_at, %(now)s) AS until
        ) r
        WHERE c.id > %(base)s
          AND (c.status_category IN ('open', 'paused')
               OR r.due_at + interval '1 minute' <= r.until)
        ORDER BY c.id
        """,
        {"base": base, "now": now},
    )


def insert_compensations(cursor, *, base: int) -> None:
    """One complaint in 30 that reached the desk's verification had
    compensation: decided by a supervisor once the customer was called back,
    still awaiting approval otherwise."""
    cursor.execute(
        f"""
        INSERT INTO complaints_compensation (mall_id, complaint_id, kind, amount, note, state,
                                             requested_by_id, requested_at, decided_by_id,
                                             decided_at)
        SELECT c.mall_id, c.id,
               {
            pick(
                f"{R}(x.g, 50)",
                [
                    ("'coupon'", 35),
                    ("'parking'", 30),
                    ("'refund'", 20),
                    ("'gift'", 10),
                    ("'other'", 5),
                ],
            )
        },
               round((20 + 480 * power({R}(x.g, 51), 2))::numeric, 0), '',
               CASE WHEN c.state IN ('called_back', 'closed')
                    THEN CASE WHEN {R}(x.g, 52) < 0.9 THEN 'approved' ELSE 'rejected' END
                    ELSE 'requested' END,
               c.created_by_id, c.resolved_at - interval '5 minutes',
               CASE WHEN c.state IN ('called_back', 'closed') THEN x.supervisor_id END,
               CASE WHEN c.state IN ('called_back', 'closed')
                    THEN c.resolved_at + interval '30 minutes' END
        FROM complaints_complaint c JOIN bench_cc x ON x.id = c.id
        WHERE c.id > %s AND c.resolved_at IS NOT NULL AND x.g %% 30 = 5
          AND c.created_by_id <> x.supervisor_id
        """,
        [base],
    )


def insert_activities(cursor, *, base: int) -> None:
    """The timeline of each complaint: received, assigned, the handler's
    response, verified, called back, closed or merged, the escalations that
    fired and the compensation decisions — each at its time, by its actor."""
    cursor.execute(
        """
        INSERT INTO complaints_activity (mall_id, complaint_id, at, code, actor_id, text, data)
        SELECT c.mall_id, c.id, e.at, e.code, e.actor, e.text, e.data
        FROM complaints_complaint c
        JOIN bench_cc x ON x.id = c.id
        LEFT JOIN complaints_complaint into_ ON into_.id = c.merged_into_id
        CROSS JOIN LATERAL (VALUES
            (c.received_at, 'received', c.created_by_id, '',
             jsonb_build_object('channel', c.channel, 'severity', c.severity)),
            (CASE WHEN c.handler_kind <> '' THEN x.t_assign END, 'assigned', c.created_by_id, '',
             jsonb_build_object('handler_kind', c.handler_kind,
                                'department', c.handler_department,
                                'handler', c.handler_name,
                                'due_at', to_char(c.handler_due_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'))),
            (c.responded_at, 'responded', c.created_by_id, c.response_text, '{}'::jsonb),
            (c.verified_at, 'verified', c.created_by_id, '', '{}'::jsonb),
            (c.called_back_at, 'called_back', c.created_by_id, c.satisfaction_comment,
             jsonb_build_object('satisfaction', c.satisfaction)),
            (CASE WHEN c.state = 'closed' THEN c.closed_at END, 'closed', c.created_by_id, '',
             '{}'::jsonb),
            (CASE WHEN c.state = 'merged' THEN c.closed_at END, 'merged', c.created_by_id, '',
             jsonb_build_object('into', into_.reference))
        ) AS e(at, code, actor, text, data)
        WHERE c.id > %s AND e.at IS NOT NULL
        ORDER BY c.id, e.at
        """,
        [base],
    )
    # Escalations that fired, and compensation requested and decided.
    cursor.execute(
        """
        INSERT INTO complaints_activity (mall_id, complaint_id, at, code, actor_id, text, data)
        SELECT e.mall_id, e.complaint_id, e.fired_at,
               CASE WHEN e.level = 'warning' THEN 'sla_warning' ELSE 'escalated' END, NULL, '',
               jsonb_build_object('level', e.level, 'handler', c.handler_name,
                                  'recipients', e.recipients)
        FROM complaints_escalation e JOIN complaints_complaint c ON c.id = e.complaint_id
        WHERE e.complaint_id > %(base)s AND e.fired_at IS NOT NULL
        UNION ALL
        SELECT k.mall_id, k.complaint_id, k.requested_at, 'compensation_requested',
               k.requested_by_id, '', jsonb_build_object('kind', k.kind, 'amount', k.amount::text)
        FROM complaints_compensation k WHERE k.complaint_id > %(base)s
        UNION ALL
        SELECT k.mall_id, k.complaint_id, k.decided_at, 'compensation_' || k.state,
               k.decided_by_id, '', jsonb_build_object('kind', k.kind, 'amount', k.amount::text)
        FROM complaints_compensation k
        WHERE k.complaint_id > %(base)s AND k.decided_at IS NOT NULL
        """,
        {"base": base},
    )
