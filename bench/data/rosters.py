"""Rosters at the volume of issue 9's data list: "40 staff with 2 years of
rosters and attendance", plus their staff meal orders (员工订餐, issue 10).

Forty staff accounts (twenty a mall, one in five a broadcaster) are
inserted with the demo password; each works five days a week on a shift
that rotates weekly (A/B/C) at their post, over `scaled(730)` days back
(at least two weeks) and through next week, every week published. Past
shifts have clock-ins and clock-outs (a few absent, a few without a
clock-out); worked days have meal orders, the past days' lists were sent
after each cut-off, about 2% of orders came from an approved late change,
and a few of today's late changes wait for the supervisor.

The staff count stays 40 at any BENCH_SCALE (the pages' shape is the
roster of a real department); the history length scales. Everything is
set-based SQL with the triggers off, then the history rows it implies."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings

from bench.data import scaled, triggers_off, write_history
from bench.scenarios import Page
from mallservice.audit import Source
from mallservice.models import User
from mallservice.services import system_actor_id
from rosters.models import (
    Assignment,
    MealChangeRequest,
    MealOrder,
    MealSheet,
    PostQualification,
    Week,
)

STAFF = 40
HISTORY_DAYS = 730
PREFIX = "bench-staff-"
TZ = settings.TIME_ZONE
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂"
SOFT = "soft target: issue 9 sets none for rosters or meals"


def _dates(cursor) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(first Monday, last Sunday, today): `scaled(730)` days back to the
    end of next week, in the project's time zone."""
    cursor.execute("SELECT (now() AT TIME ZONE %s)::date", [TZ])
    today = cursor.fetchone()[0]
    days = max(14, scaled(HISTORY_DAYS))
    first = today - datetime.timedelta(days=days)
    first -= datetime.timedelta(days=first.weekday())
    monday = today - datetime.timedelta(days=today.weekday())
    return first, monday + datetime.timedelta(days=13), today


def generate(cursor) -> None:
    first, last, today = _dates(cursor)
    cursor.execute("SELECT setseed(0.2026)")
    cursor.execute("SELECT coalesce(max(id), 0) FROM rosters_week")
    weeks_before = cursor.fetchone()[0]
    cursor.execute("SELECT coalesce(max(id), 0) FROM rosters_mealsheet")
    sheets_before = cursor.fetchone()[0]
    with triggers_off(cursor):
        _staff(cursor)
        _roster(cursor, first=first, last=last)
        _attendance(cursor)
        _meals(cursor, today=today)
    staff = f"t.staff_id IN (SELECT id FROM mallservice_user WHERE username LIKE '{PREFIX}%%')"
    write_history(cursor, User, where=f"t.username LIKE '{PREFIX}%%'", created_at="t.date_joined")
    _role_history(cursor)
    write_history(cursor, PostQualification, where=staff, created_at="now() - interval '2 years'")
    write_history(cursor, Week, where=f"t.id > {weeks_before}", created_at="t.published_at")
    write_history(cursor, Assignment, where=staff, created_at="t.starts_at - interval '10 days'")
    write_history(cursor, MealOrder, where=staff, created_at="t.updated_at")
    write_history(cursor, MealSheet, where=f"t.id > {sheets_before}", created_at="t.sent_at")
    write_history(cursor, MealChangeRequest, where=staff, created_at="t.requested_at")


def _staff(cursor) -> None:
    """Forty accounts in turn at the two malls, their role, and the posts
    they may work (the desk, and the broadcast room or mailroom)."""
    cursor.execute(
        """
        WITH malls AS (SELECT array_agg(id ORDER BY id) AS ids FROM mallservice_mall)
        INSERT INTO mallservice_user (password, is_superuser, username, first_name, last_name,
            email, is_staff, is_active, date_joined, all_malls, display_name, staff_no, phone,
            mall_id)
        SELECT (SELECT password FROM mallservice_user WHERE username = 'bench-desk'), false,
               %(prefix)s || lpad(n::text, 3, '0'), '', '', '', false, true,
               now() - interval '3 years', false,
               substr(%(surnames)s, 1 + (n * 7) %% length(%(surnames)s), 1)
                 || substr(%(given)s, 1 + (n * 11) %% length(%(given)s), 1)
                 || substr(%(given)s, 1 + (n * 5 + 3) %% length(%(given)s), 1),
               'S' || lpad(n::text, 3, '0'), '',
               malls.ids[1 + (n - 1) %% array_length(malls.ids, 1)]
        FROM generate_series(1, %(n)s) n, malls
        """,
        {"prefix": PREFIX, "surnames": SURNAMES, "given": GIVEN, "n": STAFF},
    )
    # i: the person's number within their mall; one in five broadcasts.
    cursor.execute(
        """
        CREATE TEMP TABLE bench_roster_staff ON COMMIT DROP AS
        SELECT id AS staff_id, mall_id,
               (row_number() OVER (PARTITION BY mall_id ORDER BY id) - 1)::int AS i
        FROM mallservice_user WHERE username LIKE %s
        """,
        [PREFIX + "%"],
    )
    cursor.execute(
        """
        INSERT INTO mallservice_user_groups (user_id, group_id)
        SELECT s.staff_id, g.id FROM bench_roster_staff s
        JOIN auth_group g ON g.name = CASE WHEN mod(s.i, 5) = 3 THEN 'broadcaster'
                                           ELSE 'desk_staff' END
        """
    )
    cursor.execute(
        """
        INSERT INTO rosters_postqualification (mall_id, post_id, staff_id)
        SELECT s.mall_id, p.id, s.staff_id FROM bench_roster_staff s
        JOIN rosters_post p ON p.mall_id = s.mall_id
         AND p.code IN ('desk', CASE mod(s.i, 5) WHEN 3 THEN 'broadcast'
                                                 WHEN 4 THEN 'mailroom' ELSE 'desk' END)
        """
    )


def _roster(cursor, *, first: datetime.date, last: datetime.date) -> None:
    """Every week published (the demo's own two weeks are kept); five days
    a week for each person, the day off moving through the week, the
    shift rotating weekly."""
    cursor.execute(
        """
        INSERT INTO rosters_week (mall_id, week_start, state, published_at, published_by_id)
        SELECT m.id, ws::date, 'published', ws - interval '4 days',
               coalesce(
                 (SELECT u.id FROM mallservice_user u
                  JOIN mallservice_user_groups ug ON ug.user_id = u.id
                  JOIN auth_group g ON g.id = ug.group_id AND g.name = 'supervisor'
                  WHERE u.mall_id = m.id ORDER BY u.id LIMIT 1),
                 (SELECT id FROM mallservice_user WHERE username = 'bench-supervisor'))
        FROM mallservice_mall m, generate_series(%s::date, %s::date, interval '7 days') ws
        ON CONFLICT (mall_id, week_start) DO NOTHING
        """,
        [first, last - datetime.timedelta(days=6)],
    )
    cursor.execute(
        """
        INSERT INTO rosters_assignment (mall_id, week_id, staff_id, date, shift_type_id,
            post_id, starts_at, ends_at, source)
        SELECT s.mall_id, w.id, s.staff_id, d.day, st.id, p.id,
               (d.day + st.start) AT TIME ZONE %(tz)s, (d.day + st."end") AT TIME ZONE %(tz)s,
               'plan'
        FROM bench_roster_staff s
        CROSS JOIN (SELECT g::date AS day, (g::date - %(first)s::date) AS n
                    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') g) d
        JOIN rosters_week w ON w.mall_id = s.mall_id AND w.week_start = d.day - (d.n %% 7)
        JOIN rosters_shifttype st ON st.mall_id = s.mall_id
         AND st.code = CASE WHEN s.i %% 5 = 3 THEN 'B'
                            ELSE (ARRAY['A', 'B', 'C'])[1 + (s.i + d.n / 7) %% 3] END
        JOIN rosters_post p ON p.mall_id = s.mall_id
         AND p.code = CASE s.i %% 5 WHEN 3 THEN 'broadcast' WHEN 4 THEN 'mailroom'
                                    ELSE 'desk' END
        WHERE (d.n + s.i) %% 7 < 5
        """,
        {"tz": TZ, "first": first, "last": last},
    )


def _attendance(cursor) -> None:
    """Punches for every shift begun: in within ten minutes either side of
    the start (2% never came), out around the end (3% forgot)."""
    cursor.execute(
        """
        INSERT INTO rosters_clockevent (mall_id, staff_id, kind, at, via)
        SELECT a.mall_id, a.staff_id, 'in',
               a.starts_at + (random() * 25 - 10) * interval '1 minute',
               CASE WHEN random() < 0.3 THEN 'pin' ELSE 'login' END
        FROM rosters_assignment a JOIN bench_roster_staff s ON s.staff_id = a.staff_id
        WHERE a.starts_at < now() - interval '15 minutes' AND random() >= 0.02
        """
    )
    cursor.execute(
        """
        INSERT INTO rosters_clockevent (mall_id, staff_id, kind, at, via)
        SELECT a.mall_id, a.staff_id, 'out',
               a.ends_at + (random() * 18 - 8) * interval '1 minute', 'login'
        FROM rosters_assignment a JOIN bench_roster_staff s ON s.staff_id = a.staff_id
        WHERE a.ends_at < now() - interval '10 minutes' AND random() >= 0.03
          AND EXISTS (SELECT 1 FROM rosters_clockevent e WHERE e.staff_id = a.staff_id
                      AND e.kind = 'in' AND e.at BETWEEN a.starts_at - interval '3 hours'
                                                     AND a.ends_at)
        """
    )


def _meals(cursor, *, today: datetime.date) -> None:
    """Orders for every shift up to today (lunch 85%; dinner 70% on the
    later shifts), the past days' lists sent at 10:05 and 15:05, ~2% of
    orders from an approved late change, a few late changes waiting today."""
    cursor.execute(
        """
        INSERT INTO rosters_mealorder (mall_id, staff_id, date, lunch, dinner, note,
            updated_at, updated_by_id)
        SELECT mall_id, staff_id, date, lunch, dinner,
               (ARRAY['', '', '', '', '', '不吃辣', '少饭', '素食'])[1 + floor(r * 8)::int],
               (date + time '08:00') AT TIME ZONE %(tz)s + r * interval '90 minutes', staff_id
        FROM (
            SELECT a.mall_id, a.staff_id, a.date, random() < 0.85 AS lunch,
                   st.code <> 'A' AND random() < 0.7 AS dinner, random() AS r
            FROM rosters_assignment a
            JOIN bench_roster_staff s ON s.staff_id = a.staff_id
            JOIN rosters_shifttype st ON st.id = a.shift_type_id
            WHERE a.date <= %(today)s
        ) o
        WHERE lunch OR dinner
        """,
        {"tz": TZ, "today": today},
    )
    cursor.execute(
        """
        INSERT INTO rosters_mealsheet (mall_id, date, meal, sent_at, sent_by_id, meals_sent)
        SELECT o.mall_id, o.date, m.meal, (o.date + m.at) AT TIME ZONE %(tz)s,
               (SELECT staff_id FROM bench_roster_staff s
                WHERE s.mall_id = o.mall_id AND s.i %% 5 <> 3
                ORDER BY (s.i + o.date - date '2000-01-03') %% 16 LIMIT 1),
               count(*) FILTER (WHERE CASE m.meal WHEN 'lunch' THEN o.lunch ELSE o.dinner END)
        FROM rosters_mealorder o
        JOIN bench_roster_staff s ON s.staff_id = o.staff_id
        CROSS JOIN (VALUES ('lunch', time '10:05'), ('dinner', time '15:05')) m (meal, at)
        WHERE o.date < %(today)s
        GROUP BY o.mall_id, o.date, m.meal, m.at
        ON CONFLICT (mall_id, date, meal) DO NOTHING
        """,
        {"tz": TZ, "today": today},
    )
    cursor.execute(
        """
        INSERT INTO rosters_mealchangerequest (mall_id, staff_id, date, lunch, dinner, note,
            reason, state, requested_at, decided_by_id, decided_at, decision_note)
        SELECT o.mall_id, o.staff_id, o.date, NULL,
               CASE WHEN o.date < %(today)s THEN o.dinner ELSE NOT o.dinner END, '',
               CASE WHEN o.dinner THEN '临时加班到晚上' ELSE '晚上有事，提前下班' END,
               CASE WHEN o.date < %(today)s THEN 'approved' ELSE 'pending' END,
               (o.date + time '16:00') AT TIME ZONE %(tz)s,
               CASE WHEN o.date < %(today)s THEN w.published_by_id END,
               CASE WHEN o.date < %(today)s
                    THEN (o.date + time '16:20') AT TIME ZONE %(tz)s END,
               ''
        FROM rosters_mealorder o
        JOIN bench_roster_staff s ON s.staff_id = o.staff_id
        JOIN rosters_week w ON w.mall_id = o.mall_id
         AND w.week_start = o.date - (extract(isodow FROM o.date)::int - 1)
        WHERE random() < CASE WHEN o.date < %(today)s THEN 0.02 ELSE 0.15 END
        """,
        {"tz": TZ, "today": today},
    )


def _role_history(cursor) -> None:
    """The role memberships' history (a through table: no object column)."""
    context = json.dumps({"user": system_actor_id(), "source": Source.COMMAND.value})
    cursor.execute(
        """
        INSERT INTO mallservice_userroleevent (pgh_created_at, pgh_label, pgh_context, id,
            group_id, user_id)
        SELECT u.date_joined, 'insert', %s::jsonb, ug.id, ug.group_id, ug.user_id
        FROM mallservice_user_groups ug JOIN mallservice_user u ON u.id = ug.user_id
        WHERE u.username LIKE %s
        """,
        [context, PREFIX + "%"],
    )


def context(cursor) -> dict[str, Any]:
    """The latest day with orders (today, once generated) in the first
    mall: the desk's list and the supervisor's week; last month for the
    payroll counts."""
    cursor.execute(
        """
        SELECT max(o.date) FROM rosters_mealorder o
        WHERE o.mall_id = (SELECT min(id) FROM mallservice_mall)
          AND o.date <= (now() AT TIME ZONE %s)::date
        """,
        [TZ],
    )
    day = cursor.fetchone()[0]
    last_month = day.replace(day=1) - datetime.timedelta(days=1)
    return {"rosters_day": f"{day:%Y-%m-%d}", "rosters_month": f"{last_month:%Y-%m}"}


def _url(path: str, **params: str):
    def build(ctx: dict[str, Any]) -> str:
        query = "&".join(f"{k}={ctx[v]}" for k, v in {"mall": "mall_id", **params}.items())
        return f"{path}?{query}"

    return build


SCENARIOS = [
    Page(
        "roster week grid (supervisor)",
        _url("/rosters/week/", date="rosters_day"),
        target_p95_ms=100,
        user="bench-supervisor",
        notes=SOFT,
    ),
    Page(
        "day's staff meal list",
        _url("/rosters/meals/list/", date="rosters_day"),
        target_p95_ms=100,
        desk_share=0.01,
        notes=SOFT,
    ),
    Page(
        "monthly meal counts for payroll (supervisor)",
        _url("/rosters/meals/counts/", month="rosters_month"),
        target_p95_ms=100,
        user="bench-supervisor",
        notes=SOFT,
    ),
]
