"""Three years of the broadcast room: the daily routine schedule and its
airings, ad-hoc announcements with their repeat plans, missing-person cases
with their pages and watched exits, and the entrance screens' messages (a
few thousand over three years, a handful live now) on six screens in the two
malls, with the live log and some edits — plus the history all of it implies.

Generated on top of the demo's templates, schedule and screens (core part),
with triggers off; rows live now (queued pages, live messages) do not
expire, so a database reused days later still has a realistic queue and
playlist."""

from __future__ import annotations

import datetime
from typing import Any

from bench.data import scaled, triggers_off, write_history
from bench.data.broadcasts import screens
from bench.scenarios import Page
from bench.sql import MALL_OF_G, staff_table
from broadcasts import models as bc
from broadcasts import services
from mallservice.models import Mall, User
from mallservice.roles import Role

YEARS_DAYS = 3 * 365
ANNOUNCEMENTS = 60_000  # ad-hoc requests over three years, both malls
MISSING_CASES = 1_200
SCREEN_MESSAGES = 3_000
QUEUED_PER_MALL = 4  # pages waiting in the broadcaster's queue now
EXTRA_ROUTINE = [datetime.time(h, 0) for h in (11, 13, 14, 16, 17, 19, 20)]

# The history rows are stamped with the time the row describes.
HISTORY = [
    (bc.RoutineAiring, "t.due_at"),
    (bc.MissingPersonCase, "t.reported_at"),
    (bc.ExitWatch, "t.watched_at"),
    (bc.Announcement, "t.requested_at"),
    (bc.AnnouncementAiring, "coalesce(t.aired_at, t.due_at)"),
    (bc.ScreenMessage, "t.submitted_at"),
    (
        bc.ScreenPlacement,
        "(SELECT m.submitted_at FROM broadcasts_screenmessage m WHERE m.id = t.message_id)",
    ),
    (bc.ScreenMessageEdit, "t.submitted_at"),
    (bc.ScreenLiveRecord, "t.live_from"),
]


# SQL pieces of the generators: the mall of generated row `g` (the two
# malls in turn) as `m.mall_id`, and today in Shanghai as `<alias>.today`.
def _max_id(cursor, model) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def _screens_and_schedule() -> None:
    """Through the services (a handful of rows, history by the triggers):
    the hourly safety reminders of the daily schedule and a third screen
    per mall."""
    for mall in Mall.objects.order_by("pk"):
        supervisor = User.objects.filter(mall=mall, groups__name=Role.SUPERVISOR).first()
        safety = bc.ScriptTemplate.objects.get(mall=mall, name="安全提示")
        for at in EXTRA_ROUTINE:
            services.routine_slot_save(actor=supervisor, mall=mall, template=safety, at=at)
        services.screen_save(actor=supervisor, mall=mall, name="北门大屏", location="北门入口")


def generate(cursor) -> None:
    _screens_and_schedule()
    staff_table(cursor)
    first = {
        m: _max_id(cursor, m)
        for m in (
            bc.RoutineAiring,
            bc.MissingPersonCase,
            bc.ExitWatch,
            bc.Announcement,
            bc.AnnouncementAiring,
            bc.ScreenMessage,
            bc.ScreenPlacement,
            bc.ScreenMessageEdit,
            bc.ScreenLiveRecord,
        )
    }
    cursor.execute("SELECT setseed(0.5)")
    days = scaled(YEARS_DAYS)
    with triggers_off(cursor):
        _routine(cursor, days)
        _missing_cases(cursor, scaled(MISSING_CASES), days)
        _announcements(cursor, scaled(ANNOUNCEMENTS), days, first[bc.Announcement])
        _airings(cursor, first[bc.Announcement])
        _queued_now(cursor)
        screens.screen_messages(cursor, scaled(SCREEN_MESSAGES), days, first[bc.ScreenMessage])
    for model, created_at in HISTORY:
        write_history(cursor, model, where=f"t.id > {first[model]}", created_at=created_at)


def _routine(cursor, days: int) -> None:
    """Every slot of the schedule on every past day: nearly all aired a
    minute or two late, a few flagged missed (most of those aired late)."""
    cursor.execute(
        """
        INSERT INTO broadcasts_routineairing
            (mall_id, slot_id, day, due_at, script, state, aired_at, aired_by_id,
             missed_flagged_at)
        SELECT s.mall_id, s.id, d.day, x.due_at,
               replace(t.body, '{time_text}', to_char(s.at, 'HH24:MI')),
               CASE WHEN x.r < 0.004 THEN 'missed' ELSE 'aired' END,
               CASE WHEN x.r < 0.004 THEN NULL
                    WHEN x.r < 0.02 THEN x.due_at + interval '25 minutes'
                    ELSE x.due_at + (x.r * 180) * interval '1 second' END,
               CASE WHEN x.r < 0.004 THEN NULL
                    ELSE b.ids[1 + (d.n + s.id)::int %% array_length(b.ids, 1)] END,
               CASE WHEN x.r < 0.02 THEN x.due_at + interval '10 minutes' END
        FROM broadcasts_routineslot s
        JOIN broadcasts_scripttemplate t ON t.id = s.template_id
        JOIN _bench_staff b ON b.mall_id = s.mall_id AND b.role = 'broadcaster'
        CROSS JOIN LATERAL (
            SELECT n, (now() AT TIME ZONE 'Asia/Shanghai')::date - n AS day
            FROM generate_series(1, %s) n
        ) d
        CROSS JOIN LATERAL (
            SELECT (d.day + s.at) AT TIME ZONE 'Asia/Shanghai' AS due_at, random() AS r
        ) x
        WHERE s.is_active
        ON CONFLICT (slot_id, day) DO NOTHING
        """,
        [days],
    )


def _missing_cases(cursor, n: int, days: int) -> None:
    """Cases spread over the years: mostly children found within the
    quarter hour; the police called when a search ran past the prompt;
    two exits watched on each."""
    cursor.execute(
        """
        INSERT INTO broadcasts_missingpersoncase
            (mall_id, person_kind, person_name, age, gender, description, clothing,
             last_seen_place, last_seen_at, reporter_name, reporter_phone, meeting_point,
             handled_by_id, reported_at, police_due_at, police_prompted_at, police_called_at,
             police_called_by_id, state, found_at, outcome, outcome_note)
        SELECT c.mall_id, c.kind,
               CASE WHEN c.kind = 'child' THEN '' ELSE '李' || (g %% 97) END,
               CASE c.kind WHEN 'child' THEN 3 + g %% 8 WHEN 'elderly' THEN 70 + g %% 18
                    ELSE 30 END,
               CASE WHEN g %% 2 = 0 THEN 'm' ELSE 'f' END,
               '身高约' || (100 + g %% 70) || '厘米，短发', '红色外套、蓝色裤子',
               (ARRAY['一层中庭','二层扶梯口','三层孩子王门口','负一层超市入口'])[1 + g %% 4],
               c.reported_at - interval '10 minutes', '王女士',
               '139' || lpad((g * 7919 %% 100000000)::text, 8, '0'), '一楼客服台',
               d.ids[1 + g %% array_length(d.ids, 1)], c.reported_at,
               c.reported_at + interval '10 minutes',
               CASE WHEN c.search > 10 THEN c.reported_at + interval '10 minutes' END,
               CASE WHEN c.search > 12 THEN c.reported_at + interval '12 minutes' END,
               CASE WHEN c.search > 12 THEN d.ids[1 + g %% array_length(d.ids, 1)] END,
               CASE WHEN g %% 40 = 0 THEN 'closed' ELSE 'found' END,
               CASE WHEN g %% 40 = 0 THEN NULL
                    ELSE c.reported_at + c.search * interval '1 minute' END,
               CASE WHEN g %% 40 = 0 THEN 'left' WHEN g %% 25 = 0 THEN 'police'
                    ELSE 'reunited' END,
               ''
        FROM generate_series(1::bigint, %(n)s) g
        CROSS JOIN LATERAL (
            SELECT m.id AS mall_id,
                   CASE WHEN random() < 0.7 THEN 'child'
                        WHEN random() < 0.7 THEN 'elderly' ELSE 'other' END AS kind,
                   now() - (1 + random() * (%(days)s - 1)) * interval '1 day' AS reported_at,
                   (3 + random() * 25)::int AS search
            FROM mallservice_mall m ORDER BY m.id OFFSET g %% 2 LIMIT 1
        ) c
        JOIN _bench_staff d ON d.mall_id = c.mall_id AND d.role = 'desk_staff'
        """,
        {"n": n, "days": days},
    )
    cursor.execute(
        """
        INSERT INTO broadcasts_exitwatch (mall_id, case_id, exit_id, watched_by_id, watched_at)
        SELECT c.mall_id, c.id, e.id, c.handled_by_id, c.reported_at + interval '2 minutes'
        FROM broadcasts_missingpersoncase c
        CROSS JOIN LATERAL (
            SELECT u.id FROM mallservice_unit u
            WHERE u.mall_id = c.mall_id AND u.kind = 'public_area'
              AND u.area_kind IN ('entrance', 'car_park')
            ORDER BY u.id LIMIT 2
        ) e
        WHERE NOT EXISTS (SELECT 1 FROM broadcasts_exitwatch w WHERE w.case_id = c.id)
        """
    )


# (kind, share of requests, repetitions, minutes apart, script)
KINDS = [
    ("car_move", 0.40, 3, 5, "车牌号为粤B·{n}的车主请注意，请尽快到停车场移车，谢谢。"),
    ("lost_item", 0.22, 2, 10, "顾客朋友们请注意：我们拾到黑色钱包一个，请失主到一楼客服台认领。"),
    ("promotion", 0.15, 3, 30, "优衣库周末特惠正在进行：全场冬装八折，欢迎选购。"),
    ("advertisement", 0.10, 2, 60, "喜茶：冬季限定新品上市，第二杯半价。"),
    ("other", 0.128, 1, 5, "各位顾客请注意：一层中庭正在举行活动，请注意安全。"),
    ("emergency", 0.002, 5, 2, "各位顾客请注意：请听从工作人员指挥，沿安全出口有序疏散。"),
]


def _kind_case(column: str) -> str:
    """SQL picking a kind's `column` (0 kind, 2 repetitions, 3 interval, 4
    script) from a uniform random `k.r`."""
    parts, bound = [], 0.0
    for row in KINDS:
        bound += row[1]
        value = row[column]
        literal = f"'{value}'" if isinstance(value, str) else str(value)
        parts.append(f"WHEN k.r < {bound:.4f} THEN {literal}")
    return "CASE " + " ".join(parts[:-1]) + f" ELSE {parts[-1].split('THEN ')[1]} END"


def _announcements(cursor, n: int, days: int, first_id: int) -> None:
    """Ad-hoc requests over the years and the pages of the missing-person
    cases. Ads and promotions were approved by a supervisor (one in twelve
    refused); a third of the others were cancelled once resolved."""
    urgency = " ".join(f"WHEN '{k}' THEN {v}" for k, v in bc.KIND_URGENCY.items())
    cursor.execute(
        f"""
        INSERT INTO broadcasts_announcement
            (mall_id, kind, urgency, template_id, fields, script, requested_by_id,
             requested_at, wanted_at, repetitions, interval_minutes, state, decided_by_id,
             decided_at, decision_note, cancelled_by_id, cancelled_at, cancel_reason,
             missing_case_id)
        SELECT r.mall_id, r.kind, CASE r.kind {urgency} END, t.id,
               CASE r.kind WHEN 'car_move' THEN jsonb_build_object('plate_number', r.plate)
                    ELSE '{{}}'::jsonb END,
               replace(r.script, '{{n}}', r.plate), d.ids[1 + r.g %% array_length(d.ids, 1)],
               r.at, r.at + CASE WHEN r.ad THEN interval '1 hour' ELSE interval '0' END,
               r.reps, r.gap,
               CASE WHEN r.ad AND r.g %% 12 = 0 THEN 'rejected'
                    WHEN NOT r.ad AND r.g %% 3 = 0 THEN 'cancelled' ELSE 'done' END,
               CASE WHEN r.ad THEN s.ids[1 + r.g %% array_length(s.ids, 1)] END,
               CASE WHEN r.ad THEN r.at + interval '20 minutes' END,
               CASE WHEN r.ad AND r.g %% 12 = 0 THEN '内容不符合商场规定' ELSE '' END,
               CASE WHEN NOT r.ad AND r.g %% 3 = 0 THEN d.ids[1 + r.g %% array_length(d.ids, 1)]
                    END,
               CASE WHEN NOT r.ad AND r.g %% 3 = 0 THEN r.at + interval '4 minutes' END,
               CASE WHEN NOT r.ad AND r.g %% 3 = 0 THEN '已解决' ELSE '' END,
               NULL
        FROM (
            SELECT g, k.*, m.mall_id,
                   {_kind_case(0)} AS kind, {_kind_case(2)} AS reps, {_kind_case(3)} AS gap,
                   {_kind_case(4)} AS script,
                   ({_kind_case(0)}) IN ('advertisement', 'promotion') AS ad,
                   lpad((g * 7907 %% 100000)::text, 5, '0') AS plate,
                   now() - (1 + random() * (%(days)s - 1)) * interval '1 day' AS at
            FROM generate_series(1::bigint, %(n)s) g
            CROSS JOIN LATERAL (SELECT random() + 0 * g AS r) k
            {MALL_OF_G}
        ) r
        JOIN _bench_staff d ON d.mall_id = r.mall_id AND d.role = 'desk_staff'
        JOIN _bench_staff s ON s.mall_id = r.mall_id AND s.role = 'supervisor'
        LEFT JOIN LATERAL (
            SELECT id FROM broadcasts_scripttemplate
            WHERE mall_id = r.mall_id AND kind = r.kind ORDER BY id LIMIT 1
        ) t ON true
        """,
        {"n": n, "days": days},
    )
    # The pages of the missing-person cases: three repeats, cancelled when
    # the person was found.
    cursor.execute(
        """
        INSERT INTO broadcasts_announcement
            (mall_id, kind, urgency, fields, script, requested_by_id, requested_at, wanted_at,
             repetitions, interval_minutes, state, decision_note, cancelled_by_id, cancelled_at,
             cancel_reason, missing_case_id)
        SELECT c.mall_id, 'missing_person', %s, '{}'::jsonb,
               '各位顾客请注意：我们正在寻找一名走失人员，' || c.description || '，穿'
               || c.clothing || '。如有发现请带到' || c.meeting_point || '。',
               c.handled_by_id, c.reported_at, c.reported_at, 3, 5,
               CASE WHEN c.found_at < c.reported_at + interval '10 minutes' THEN 'cancelled'
                    ELSE 'done' END,
               '', CASE WHEN c.found_at < c.reported_at + interval '10 minutes'
                        THEN c.handled_by_id END,
               CASE WHEN c.found_at < c.reported_at + interval '10 minutes' THEN c.found_at END,
               CASE WHEN c.found_at < c.reported_at + interval '10 minutes' THEN '已找到'
                    ELSE '' END,
               c.id
        FROM broadcasts_missingpersoncase c
        WHERE NOT EXISTS (SELECT 1 FROM broadcasts_announcement a WHERE a.missing_case_id = c.id)
        """,
        [bc.KIND_URGENCY[bc.AnnouncementKind.MISSING_PERSON]],
    )


def _airings(cursor, first_id: int) -> None:
    """The repeat plan of every generated request: all aired when done; a
    cancelled one aired up to its cancellation, the rest dropped."""
    cursor.execute(
        """
        INSERT INTO broadcasts_announcementairing
            (mall_id, announcement_id, sequence, due_at, state, aired_at, aired_by_id)
        SELECT a.mall_id, a.id, s.n, x.due_at,
               CASE WHEN x.aired THEN 'aired' ELSE 'dropped' END,
               CASE WHEN x.aired THEN x.due_at + (a.id %% 90) * interval '1 second' END,
               CASE WHEN x.aired THEN b.ids[1 + (a.id + s.n) %% array_length(b.ids, 1)] END
        FROM broadcasts_announcement a
        JOIN _bench_staff b ON b.mall_id = a.mall_id AND b.role = 'broadcaster'
        CROSS JOIN LATERAL generate_series(1, a.repetitions) s(n)
        CROSS JOIN LATERAL (
            SELECT a.wanted_at + (s.n - 1) * a.interval_minutes * interval '1 minute' AS due_at,
                   a.state = 'done' OR (a.state = 'cancelled' AND (
                       a.cancelled_at IS NULL
                       OR a.wanted_at + (s.n - 1) * a.interval_minutes * interval '1 minute'
                          < a.cancelled_at)) AS aired
        ) x
        WHERE a.id > %s AND a.state IN ('done', 'cancelled')
        """,
        [first_id],
    )


def _queued_now(cursor) -> None:
    """A few pages in the queue now, due from ten minutes ago to soon: a
    car to move, a lost item, an approved promotion … Past-due repeats stay
    in the queue until aired, so the queue is there whenever the bench runs."""
    cursor.execute(
        """
        WITH new AS (
            INSERT INTO broadcasts_announcement
                (mall_id, kind, urgency, fields, script, requested_by_id, requested_at,
                 wanted_at, repetitions, interval_minutes, state, decided_by_id, decided_at,
                 decision_note, cancel_reason)
            SELECT m.id, q.kind, q.urgency, '{}'::jsonb, q.script,
                   d.ids[1 + q.n %% array_length(d.ids, 1)],
                   now() - interval '12 minutes', now() + (q.n * 4 - 10) * interval '1 minute',
                   3, 5, 'queued',
                   CASE WHEN q.kind = 'promotion' THEN s.ids[1] END,
                   CASE WHEN q.kind = 'promotion' THEN now() - interval '11 minutes' END, '', ''
            FROM mallservice_mall m
            JOIN _bench_staff d ON d.mall_id = m.id AND d.role = 'desk_staff'
            JOIN _bench_staff s ON s.mall_id = m.id AND s.role = 'supervisor'
            CROSS JOIN (VALUES
                (1, 'car_move', %s, '车牌号为粤B·D1234的车主请注意，请尽快到停车场移车。'),
                (2, 'lost_item', %s, '顾客朋友们请注意：我们拾到儿童水壶一个，请到客服台认领。'),
                (3, 'promotion', %s, '星巴克新品上市：买一送一，欢迎选购。'),
                (4, 'other', %s, '各位顾客请注意：三层西侧洗手间正在清洁，请使用东侧洗手间。')
            ) q(n, kind, urgency, script)
            WHERE q.n <= %s
            RETURNING id, mall_id, wanted_at, repetitions, interval_minutes
        )
        INSERT INTO broadcasts_announcementairing
            (mall_id, announcement_id, sequence, due_at, state)
        SELECT new.mall_id, new.id, s.n,
               new.wanted_at + (s.n - 1) * new.interval_minutes * interval '1 minute', 'planned'
        FROM new CROSS JOIN LATERAL generate_series(1, new.repetitions) s(n)
        """,
        [
            bc.KIND_URGENCY[bc.AnnouncementKind.CAR_MOVE],
            bc.KIND_URGENCY[bc.AnnouncementKind.LOST_ITEM],
            bc.KIND_URGENCY[bc.AnnouncementKind.PROMOTION],
            bc.KIND_URGENCY[bc.AnnouncementKind.OTHER],
            QUEUED_PER_MALL,
        ],
    )


def context(cursor) -> dict[str, Any]:
    """The main entrance screen of the first mall (it carries the live
    messages) and a staff member's view of its messages."""
    mall = Mall.objects.order_by("pk").first()
    screen = bc.Screen.objects.filter(mall=mall, is_active=True).order_by("pk").first()
    return {"screen_token": screen.token}


SCENARIOS = [
    Page(
        "screen player payload",
        lambda ctx: f"/broadcasts/player/{ctx['screen_token']}/payload.json",
        target_p95_ms=20,
        user=None,
        notes="polled by every entrance screen (no login); cached per screen, "
        "dropped on every change",
    ),
    Page(
        "broadcaster's queue",
        lambda ctx: "/broadcasts/",
        user="bench-broadcaster",
        desk_share=0.02,
        notes="polled every 30 s by the broadcast room",
    ),
]
