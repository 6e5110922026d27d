"""The entrance screens' message history for the broadcasts bench data."""

from __future__ import annotations

from bench.sql import MALL_OF_G, TODAY

# Messages live on the screens now in each mall, whatever the scale.
LIVE_MESSAGES_PER_MALL = 5


def screen_messages(cursor, n: int, days: int, first_id: int) -> None:
    """Past messages (a week or a month each, some evening-only, mostly
    approved, some refused or withdrawn), a handful live now with no end
    date, a few waiting for approval or with a change waiting; the
    placements (one to three screens of the mall), the live log (one period
    a day for a time window, one for an all-day message) and past edits."""
    cursor.execute(
        f"""
        INSERT INTO broadcasts_screenmessage
            (mall_id, title, text, image, starts_on, ends_on, weekdays, time_from, time_until,
             duration_seconds, priority, is_emergency, state, submitted_by_id, submitted_at,
             decided_by_id, decided_at)
        SELECT r.mall_id, r.title, r.title || '：' || r.text, '', r.starts_on,
               CASE WHEN r.live THEN NULL ELSE r.starts_on + r.length END,
               CASE WHEN r.g %% 5 = 0 THEN ARRAY[4, 5, 6]::smallint[] ELSE '{{}}' END,
               CASE WHEN r.g %% 4 = 0 THEN time '18:00' END,
               CASE WHEN r.g %% 4 = 0 THEN time '22:00' END,
               (ARRAY[8, 10, 10, 15, 20])[1 + r.g %% 5], r.g %% 7 - 2, false, r.state,
               d.ids[1 + r.g %% array_length(d.ids, 1)],
               (r.starts_on - 2 + time '10:30') AT TIME ZONE 'Asia/Shanghai',
               CASE WHEN r.state IN ('approved', 'rejected', 'withdrawn')
                    THEN s.ids[1 + r.g %% array_length(s.ids, 1)] END,
               CASE WHEN r.state IN ('approved', 'rejected', 'withdrawn')
                    THEN (r.starts_on - 1 + time '09:15') AT TIME ZONE 'Asia/Shanghai' END
        FROM (
            SELECT g, m.mall_id, g > %(past)s AS live,
                   (ARRAY['欢迎光临','周末特惠','会员日','停车优惠','新店开业','美食节',
                          '亲子活动','春节快乐','国庆特卖','温馨提示'])[1 + g %% 10] AS title,
                   (ARRAY['全场八折','满200减50','积分翻倍','免费停车2小时','敬请光临'])
                       [1 + g %% 5] AS text,
                   CASE WHEN g > %(past)s THEN today - 3 - g %% 20
                        ELSE today - %(days)s + (g * %(days)s / %(past)s)::int END AS starts_on,
                   (ARRAY[6, 13, 29])[1 + g %% 3] AS length,
                   CASE WHEN g > %(past)s + %(live)s THEN 'pending'
                        WHEN g > %(past)s THEN 'approved'
                        WHEN g %% 14 = 0 THEN 'rejected'
                        WHEN g %% 9 = 0 THEN 'withdrawn'
                        ELSE 'approved' END AS state
            FROM generate_series(1, %(past)s + %(live)s + %(pending)s) g
            {TODAY} t
            {MALL_OF_G}
        ) r
        JOIN _bench_staff d ON d.mall_id = r.mall_id AND d.role = 'desk_staff'
        JOIN _bench_staff s ON s.mall_id = r.mall_id AND s.role = 'supervisor'
        """,
        {
            "past": n,
            "days": days,
            "live": 2 * LIVE_MESSAGES_PER_MALL,
            "pending": 4,
        },
    )
    # One to three of the mall's screens (the first on every message, so
    # each mall's main entrance carries the live ones).
    cursor.execute(
        """
        INSERT INTO broadcasts_screenplacement (mall_id, message_id, screen_id)
        SELECT m.mall_id, m.id, sc.id
        FROM broadcasts_screenmessage m
        CROSS JOIN LATERAL (
            SELECT id, row_number() OVER (ORDER BY id) AS k FROM broadcasts_screen
            WHERE mall_id = m.mall_id AND is_active
        ) sc
        WHERE m.id > %s AND sc.k <= 1 + m.id %% 3
        """,
        [first_id],
    )
    # The live log of what ran: per day for a time window, one period for
    # an all-day message (the dispatcher keeps it open across midnight).
    cursor.execute(
        f"""
        INSERT INTO broadcasts_screenliverecord (mall_id, screen_id, message_id, live_from,
                                                 live_until)
        SELECT m.mall_id, p.screen_id, m.id,
               (d.day + coalesce(m.time_from, time '00:00')) AT TIME ZONE 'Asia/Shanghai',
               CASE WHEN m.ends_on IS NULL AND m.time_from IS NULL THEN NULL
                    WHEN m.time_from IS NULL
                    THEN (m.ends_on + 1 + time '00:00') AT TIME ZONE 'Asia/Shanghai'
                    WHEN m.ends_on IS NULL AND d.day = t.today THEN NULL
                    ELSE (d.day + m.time_until) AT TIME ZONE 'Asia/Shanghai' END
        FROM broadcasts_screenmessage m
        JOIN broadcasts_screenplacement p ON p.message_id = m.id
        {TODAY} t
        CROSS JOIN LATERAL generate_series(
            m.starts_on,
            CASE WHEN m.time_from IS NULL THEN m.starts_on
                 ELSE least(coalesce(m.ends_on, t.today - 1), t.today - 1) END,
            interval '1 day'
        ) d(day)
        WHERE m.id > %s AND m.state = 'approved' AND m.starts_on < t.today
          AND (m.weekdays = '{{}}' OR m.time_from IS NULL
               OR extract(isodow FROM d.day)::int - 1 = ANY (m.weekdays))
        """,
        [first_id],
    )
    # Past changes (approved or refused) on one message in ten, and two
    # changes waiting now on live messages.
    cursor.execute(
        """
        INSERT INTO broadcasts_screenmessageedit
            (mall_id, message_id, title, text, image, starts_on, ends_on, weekdays, time_from,
             time_until, duration_seconds, priority, is_emergency, screen_ids, state,
             submitted_by_id, submitted_at, decided_by_id, decided_at, decision_note)
        SELECT m.mall_id, m.id, m.title, m.text || '（更新）', '', m.starts_on, m.ends_on,
               m.weekdays, m.time_from, m.time_until, m.duration_seconds, m.priority, false,
               (SELECT array_agg(p.screen_id ORDER BY p.screen_id)
                FROM broadcasts_screenplacement p WHERE p.message_id = m.id),
               x.state, m.submitted_by_id, m.decided_at + interval '1 day',
               CASE WHEN x.state <> 'pending' THEN m.decided_by_id END,
               CASE WHEN x.state <> 'pending' THEN m.decided_at + interval '26 hours' END,
               CASE WHEN x.state = 'rejected' THEN '与活动不符' ELSE '' END
        FROM broadcasts_screenmessage m
        CROSS JOIN LATERAL (
            SELECT CASE WHEN m.ends_on IS NULL THEN 'pending'
                        WHEN m.id %% 20 = 0 THEN 'rejected' ELSE 'approved' END AS state
        ) x
        WHERE m.id > %s AND m.state = 'approved'
          AND ((m.ends_on IS NOT NULL AND m.id %% 10 = 0)
               OR (m.ends_on IS NULL AND m.id %% 5 = 0))
        """,
        [first_id],
    )
