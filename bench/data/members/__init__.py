"""Members at the volume of issue 9: 1,000,000 members across the two malls
(10% in the VIP tiers 银卡/金卡/钻石), Chinese names drawn from weighted
surname and given-name lists, unique mobile numbers, membership cards (most
active, some issued but not entered, lost, frozen or replaced), a points
ledger of a few lines per member that FIFO expiry has been applied to
(balance = the ledger's sum), VIP follow-up campaigns with 1,000,000 call
tasks over two years and their call attempts, and the history rows all of
this implies.

Everything is set-based SQL over `generate_series`, with a deterministic
hash (`pg_temp.rnd(i, k)`, uniform in [0, 1)) in place of random(), so two
runs make the same data. Rows get explicit ids so that ledger lines, cards
and calls can refer to members without a second pass.

Scenarios: the counter's lookups (card number, full mobile, last four
digits, a Chinese name of two and of three characters), the member page and
"my calls today". Tasks: planning a campaign over the 100,000 VIP members,
importing 100,000 register rows through the import service (against a COPY
of the same rows), and the two nightly jobs of the members app."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from bench.data import triggers_off, write_history
from bench.data.members import tasks
from bench.data.members.calls import create_calls
from bench.data.members.cards import create_cards
from bench.data.members.people import (
    RND,
    create_ledger,
    create_members,
    create_pools,
    insert_members,
    max_id,
    reset_sequence,
)
from bench.scenarios import Page, Task


def generate(cursor) -> None:
    from members.models import CallTask, Campaign, Card, CardBatch, Member

    now = timezone.now()
    cursor.execute("SELECT id FROM mallservice_mall ORDER BY id LIMIT 2")
    mall_ids = [row[0] for row in cursor.fetchall()]
    bases = {
        model: max_id(cursor, model._meta.db_table)
        for model in (Member, Card, CardBatch, CallTask, Campaign)
    }
    cursor.execute(RND)
    started = time.perf_counter()
    with triggers_off(cursor):
        create_pools(cursor, mall_ids)
        create_members(cursor, mall_ids=mall_ids, now=now)
        create_ledger(cursor, now=now)
        members = insert_members(cursor)
        create_cards(cursor, now=now)
        calls = create_calls(cursor, mall_ids=mall_ids, now=now)
    for table in (
        "members_member",
        "members_card",
        "members_cardbatch",
        "members_calltask",
        "members_campaign",
    ):
        reset_sequence(cursor, table)
    where = {model: f"t.id > {base}" for model, base in bases.items()}
    write_history(cursor, Member, where=where[Member], created_at="t.registered_at")
    write_history(
        cursor,
        CardBatch,
        where=where[CardBatch],
        created_at=f"(t.received_on::timestamp AT TIME ZONE '{settings.TIME_ZONE}')",
    )
    write_history(cursor, Card, where=where[Card], created_at="coalesce(t.issued_at, now())")
    write_history(
        cursor,
        Campaign,
        where=where[Campaign],
        created_at=f"(t.starts_on::timestamp AT TIME ZONE '{settings.TIME_ZONE}')",
    )
    write_history(cursor, CallTask, where=where[CallTask], created_at="least(t.due_at, now())")
    print(
        f"[bench] members: {members} members, {calls} call tasks "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def context(cursor) -> dict[str, Any]:
    """A card, a mobile, a tail of four digits, names of two and three
    characters and a VIP member with calls, all in the first mall (the bench
    desk user's), picked a third of the way into its members, not the first row."""
    cursor.execute("SELECT id FROM mallservice_mall ORDER BY id LIMIT 1")
    mall_id = cursor.fetchone()[0]
    cursor.execute("SELECT min(id), max(id) FROM members_member WHERE mall_id = %s", [mall_id])
    low, high = cursor.fetchone()

    def member_at(fraction: float, condition: str = "TRUE") -> tuple:
        cursor.execute(
            f"SELECT m.id, m.phone, m.name FROM members_member m WHERE m.mall_id = %s "
            f"AND m.status = 'active' AND m.id >= %s AND {condition} ORDER BY m.id LIMIT 1",
            [mall_id, low + int((high - low) * fraction)],
        )
        return cursor.fetchone()

    card_member = member_at(
        0.37,
        "EXISTS (SELECT 1 FROM members_card c WHERE c.member_id = m.id AND c.status = 'active')",
    )
    cursor.execute(
        "SELECT number FROM members_card WHERE member_id = %s AND status = 'active'",
        [card_member[0]],
    )
    card_number = cursor.fetchone()[0]
    vip = member_at(
        0.52,
        "m.tier_id IN (SELECT id FROM members_tier WHERE rank >= 3) "
        "AND EXISTS (SELECT 1 FROM members_calltask t WHERE t.member_id = m.id)",
    )
    return {
        "member_card": card_number,
        "member_phone": member_at(0.61)[1],
        "member_last4": member_at(0.73)[1][-4:],
        "member_name3": member_at(0.29, "char_length(m.name) = 3")[2],
        "member_name2": member_at(0.44, "char_length(m.name) = 2")[2],
        "member_vip_id": vip[0] if vip else low,
    }


# ------------------------------------------------------------------ tasks


# The search form submits through HTMX: the desk's lookups get the results
# partial (or, for one member, a client redirect to their page).
FROM_THE_FORM = {"HX-Request": "true"}

SCENARIOS = [
    Page(
        "member lookup by card number",
        lambda ctx: f"/members/?q={quote(ctx['member_card'])}",
        target_p95_ms=30,
        desk_share=0.10,
        headers=FROM_THE_FORM,
        notes="a scanned card: one member, redirect to their page",
    ),
    Page(
        "member lookup by mobile",
        lambda ctx: f"/members/?q={quote(ctx['member_phone'])}",
        target_p95_ms=30,
        desk_share=0.04,
        headers=FROM_THE_FORM,
    ),
    Page(
        "member lookup by last four digits",
        lambda ctx: f"/members/?q={quote(ctx['member_last4'])}",
        target_p95_ms=30,
        desk_share=0.06,
        headers=FROM_THE_FORM,
        notes="about 55 members share a tail in a mall of 550,000; the list shows 50",
    ),
    Page(
        "member lookup by name (3 characters)",
        lambda ctx: f"/members/?q={quote(ctx['member_name3'])}",
        target_p95_ms=100,
        desk_share=0.03,
        headers=FROM_THE_FORM,
    ),
    Page(
        "member lookup by name (2 characters)",
        lambda ctx: f"/members/?q={quote(ctx['member_name2'])}",
        target_p95_ms=100,
        desk_share=0.02,
        headers=FROM_THE_FORM,
    ),
    Page(
        "member lookup by last four digits, whole page",
        lambda ctx: f"/members/?q={quote(ctx['member_last4'])}",
        target_p95_ms=30,
        notes="the same search opened as a page (a bookmark, a reload): layout and all",
    ),
    Page(
        "member page",
        lambda ctx: f"/members/{ctx['member_vip_id']}/",
        desk_share=0.12,
        notes="after every lookup: cards, ledger, expiring points, calls, complaints",
    ),
    Page("members: my calls today", lambda ctx: "/members/calls/", desk_share=0.04),
]

TASKS = [
    Task("member follow-up planning (100,000 VIP members)", tasks.run_planning, target_seconds=20),
    Task("member import (100,000 rows)", tasks.run_import, target_seconds=30),
    Task("members: nightly tier evaluation (1,000,000 members)", tasks.run_tier_evaluation),
    Task("members: nightly points expiry (1,000,000 members)", tasks.run_points_expiry),
]
