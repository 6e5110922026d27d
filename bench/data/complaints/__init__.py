"""Complaints at the volume of issue 9: 1,000,000 complaints over three years
across the two malls — categories, floors, shops and channels in realistic
shares, most closed after the desk's callback, a few thousand still open or
awaiting the callback — with their timelines (received, assigned, the
handler's response, verified, called back, closed or merged), escalation
rungs, compensation, reference counters, members linked when the members
part has filled that table, 50,000 fault reports, 300,000 phone-log
entries, the stored daily summaries and the history rows all of this
implies.

Set-based SQL over `generate_series`, with a deterministic hash
(`pg_temp.c_rnd(i, k)`) in place of random(); each complaint's steps are
planned in time and the step reached at generation time is its state, so
the recent ones are the open ones, as at a real desk.

Scenarios: the complaint list filtered by status and category (open ones at
the desk, closed ones for a supervisor), a deep page, free text, the detail
page, the fault list and the phone log. Tasks: the daily 18:00 summary of
one mall-day, and one beat of the escalation dispatcher.

No intake POST: its SQL takes the day's next reference number from a
counter, so the B0 replay of the captured statements collides with any
intake that commits after the capture (a wrk request still in flight)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from bench.data import scaled, triggers_off, write_history
from bench.data.complaints import tasks
from bench.data.complaints.cases import (
    insert_activities,
    insert_compensations,
    insert_complaints,
    insert_escalations,
    plan_complaints,
)
from bench.data.complaints.common import (
    RND,
    create_malls,
    insert_counters,
    max_id,
    reset_sequence,
)
from bench.data.complaints.desk import (
    insert_faults,
    insert_phone_calls,
    insert_summaries,
    plan_faults,
)
from bench.scenarios import Page, Task

COMPLAINTS = 1_000_000
FAULTS = 50_000
CALLS = 300_000
PAGE_SIZE = 50


def generate(cursor) -> None:
    from complaints.models import (
        Compensation,
        Complaint,
        DailyCounter,
        Escalation,
        FaultReport,
        PhoneCall,
        Summary,
    )

    now = timezone.now()
    models = [Complaint, Compensation, DailyCounter, Escalation, FaultReport, PhoneCall, Summary]
    bases = {model: max_id(cursor, model._meta.db_table) for model in models}
    cursor.execute(RND)
    create_malls(cursor, now)
    # Link complaints to members only when the members part filled the table
    # (the demo's few hundred members are linked sparingly).
    cursor.execute("SELECT EXISTS (SELECT 1 FROM members_member WHERE status = 'active')")
    members = cursor.fetchone()[0]
    n = scaled(COMPLAINTS)
    base = bases[Complaint]
    with triggers_off(cursor):
        plan_complaints(cursor, n=n, base=base, now=now)
        insert_complaints(cursor, now=now, members=members)
        insert_counters(cursor, series="complaint", table="complaints_complaint", base=base)
        insert_escalations(cursor, base=base, now=now)
        insert_compensations(cursor, base=base)
        insert_activities(cursor, base=base)
        insert_phone_calls(cursor, n=scaled(CALLS), complaints=n, base=base, now=now)
        plan_faults(cursor, n=scaled(FAULTS), base=bases[FaultReport], now=now)
        insert_faults(cursor, base=bases[FaultReport], now=now)
        insert_summaries(cursor, base=base, now=now)
    for model in models:
        reset_sequence(cursor, model._meta.db_table)
    reset_sequence(cursor, "complaints_activity")
    created = {
        Complaint: "t.received_at",
        Compensation: "t.requested_at",
        DailyCounter: "now()",
        Escalation: "least(t.due_at, now())",
        FaultReport: "t.received_at",
        PhoneCall: "t.at",
        Summary: "t.generated_at",
    }
    for model in models:
        write_history(cursor, model, where=f"t.id > {bases[model]}", created_at=created[model])


def context(cursor) -> dict[str, Any]:
    """The desk's mall (the bench desk user's), a common category, a closed
    complaint of a few weeks ago with compensation (a full timeline) and
    the deepest page the scenario asks for (page 500, or the last page at a
    small scale)."""
    from complaints.models import Category, Complaint
    from mallservice.models import Mall

    mall = Mall.objects.order_by("pk").first()
    now = timezone.now()
    complaints = Complaint.objects.filter(mall=mall)
    detail = (
        complaints.filter(
            state=Complaint.State.CLOSED,
            compensations__isnull=False,
            received_at__lt=now - datetime.timedelta(days=14),
        )
        .order_by("-received_at")
        .values_list("pk", flat=True)
        .first()
    ) or complaints.order_by("-received_at").values_list("pk", flat=True).first()
    pages = max(1, complaints.count() // PAGE_SIZE)
    # Part of a reference read out over the phone: a day's date and the
    # first digits of its number ("20261126-04").
    recent = complaints.order_by("-received_at").values_list("reference", flat=True)[200]
    return {
        "complaints_mall_id": mall.pk,
        "complaints_category_id": Category.objects.get(mall=mall, code="service_attitude").pk,
        "complaints_detail_id": detail,
        "complaints_deep_page": min(500, pages),
        "complaints_reference_part": recent.split("-", 1)[1][:-1],
        "complaints_summary_day": (timezone.localdate(now) - datetime.timedelta(days=1)),
    }


SCENARIOS = [
    Page(
        "complaint list, open + category (page 1)",
        lambda ctx: f"/complaints/?status_category=open&category={ctx['complaints_category_id']}",
        target_p95_ms=100,
        desk_share=0.08,
        notes="the desk's working list: open complaints of one category",
    ),
    Page(
        "complaint list, closed + category (page 1)",
        lambda ctx: f"/complaints/?status_category=closed&category={ctx['complaints_category_id']}",
        target_p95_ms=100,
        user="bench-supervisor",
        desk_share=0.01,
        notes="about 60,000 matching complaints in the mall",
    ),
    Page(
        "complaint list, deep page (page 500, unfiltered)",
        lambda ctx: f"/complaints/?page={ctx['complaints_deep_page']}",
        target_p95_ms=100,
        notes="25,000 rows in, ordered by time received",
    ),
    Page(
        "complaint detail",
        lambda ctx: f"/complaints/{ctx['complaints_detail_id']}/",
        target_p95_ms=50,
        desk_share=0.10,
        notes="a closed complaint with compensation: full timeline, ladder, forms",
    ),
    Page(
        "complaint list, free text (part of a reference)",
        lambda ctx: f"/complaints/?q={ctx['complaints_reference_part']}",
        target_p95_ms=100,
        desk_share=0.02,
        notes="a caller reads out part of their reference number",
    ),
    Page("fault list", lambda ctx: "/complaints/faults/", target_p95_ms=100, desk_share=0.03),
    Page("phone log", lambda ctx: "/complaints/calls/", target_p95_ms=100, desk_share=0.05),
]

TASKS = [
    Task(
        "complaints: daily 18:00 summary of one mall-day",
        tasks.run_daily_summary,
        target_seconds=2,
        notes="target chosen here: the beat builds each mall's summary in one task",
    ),
    Task(
        "complaints: one beat of the escalation dispatcher",
        tasks.run_escalation_beat,
        target_seconds=1,
        notes="runs every minute; rolled back so the data stays as generated",
    ),
]
