from __future__ import annotations

import datetime

from mallservice.audit import Source, actor_context
from mallservice.services import system_actor_id
from rosters.models import Post, ShiftType
from rosters.services.roster import post_create, post_qualify, shift_type_create

SHIFTS = [
    ("A", "早班", datetime.time(8, 30), datetime.time(14, 30)),
    ("B", "中班", datetime.time(11, 0), datetime.time(18, 0)),
    ("C", "晚班", datetime.time(14, 30), datetime.time(21, 0)),
    ("N", "夜班", datetime.time(22, 0), datetime.time(6, 0)),
]
POSTS = [("desk", "前台", 2), ("broadcast", "播音室", 1), ("mailroom", "收发室", 1)]


def roster_setup(mall, *, qualified=()) -> tuple[dict[str, ShiftType], dict[str, Post]]:
    """Shift types A/B/C/N and the three posts of `mall`; everybody in
    `qualified` may work every post."""
    with actor_context(actor_id=system_actor_id(), source=Source.COMMAND):
        shifts = {
            code: shift_type_create(
                actor=None, mall=mall, code=code, name=name, start=start, end=end
            )
            for code, name, start, end in SHIFTS
        }
        posts = {
            code: post_create(actor=None, mall=mall, code=code, name=name, min_staff=n)
            for code, name, n in POSTS
        }
        for person in qualified:
            for post in posts.values():
                post_qualify(actor=None, post=post, staff=person)
    return shifts, posts
