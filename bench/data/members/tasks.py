"""The members app's background work at scale: planning a campaign over
the VIP members, the register import against a COPY of the same rows, and
the two nightly jobs. Each runs in a transaction rolled back afterwards, so
that every repetition does the same work on the same data."""

from __future__ import annotations

import csv
import datetime
import io
import threading
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from bench.data import scaled
from bench.data.members.people import GIVEN, surname_list

IMPORT_ROWS = 100_000


class PeakMemory:
    """Peak resident memory of this process while the block runs, sampled
    every 20 ms, as growth over the memory before it."""

    def __enter__(self) -> PeakMemory:
        import psutil

        self._process = psutil.Process()
        self.before = self.peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)

    @property
    def growth_mb(self) -> float:
        return round((self.peak - self.before) / 2**20, 1)


def _vacuum(*tables: str) -> None:
    """Clear the dead rows a rolled-back repetition leaves (autovacuum may be
    off on a bench machine): at the end of an index they slow the planner's
    range probes of every later query, 9 ms for a card lookup instead of 0.2."""
    if connection.in_atomic_block:
        return  # inside a test's transaction: nothing was left behind
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(tables)}")


def _register_rows(count: int) -> list[list[str]]:
    """The paper register typed into a spreadsheet: mobiles written the ways
    people write them, 2% bad rows (bad mobile, duplicate, unknown tier,
    impossible birthday) and a formula typed as a name (kept, as text)."""
    surnames = surname_list()
    rows = []
    for i in range(count):
        phone = f"14{(i * 104729 + 7) % 10**9:09d}"
        style = i % 10
        if style == 1:
            phone = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
        elif style == 2:
            phone = "+86" + phone
        name = surnames[(i * 37) % len(surnames)] + GIVEN[(i * 13) % len(GIVEN)]
        if i % 3:
            name += GIVEN[(i * 7) % len(GIVEN)]
        tier = ["", "普通", "普通", "银卡", "金卡", "钻石", "gold", ""][i % 8]
        birthday = f"{1955 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        gender = ["男", "女", "", "female"][i % 4]
        bad = i % 200
        if bad == 7:
            phone = "1381234"
        elif bad == 17 and i > 0:
            phone = rows[-1][1]
        elif bad == 27:
            tier = "黑卡"
        elif bad == 37:
            birthday = "1990-13-45"
        elif bad == 47:
            name = '=HYPERLINK("http://x.example","点我")'
        rows.append([name, phone, gender, birthday, tier])
    return rows


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "手机", "性别", "生日", "等级"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _bench_actor(ctx: dict[str, Any]):
    from mallservice.models import User

    return User.objects.get(pk=ctx["users"]["bench-supervisor"])


def run_import(ctx: dict[str, Any]) -> dict[str, Any]:
    """The import service end to end (upload, check = the preview, commit),
    the steps the Celery tasks run, in a transaction rolled back afterwards
    so that every repetition imports the same rows. Then a COPY of the same
    valid rows into the same table (audit trigger included), also rolled back."""
    from mallservice.audit import Source, actor_context
    from mallservice.models import Mall
    from members import services
    from members.models import MemberImport
    from members.services.imports import member_import_check_run, member_import_commit_run

    count = scaled(IMPORT_ROWS)
    content = _csv_bytes(_register_rows(count))
    actor = _bench_actor(ctx)
    mall = Mall.objects.get(pk=ctx["mall_id"])
    with actor_context(actor_id=actor.pk, source=Source.CELERY), transaction.atomic():
        with PeakMemory() as memory:
            started = time.perf_counter()
            record = services.member_import_upload(
                actor=actor, mall=mall, filename="register.csv", content=content
            )
            member_import_check_run(import_id=record.pk)
            checked = time.perf_counter()
            services.member_import_commit(
                actor=actor, record=MemberImport.objects.get(pk=record.pk)
            )
            done = member_import_commit_run(import_id=record.pk)
            finished = time.perf_counter()
        assert done.status == MemberImport.Status.DONE, done.errors[:3]
        imported = done.imported_rows
        transaction.set_rollback(True)
    copy_seconds = _copy_same_rows(done_rows=_valid_rows(content, mall.pk), actor_id=actor.pk)
    _vacuum("members_member", "members_memberevent", "members_memberimport")
    seconds = finished - started
    return {
        "seconds": round(seconds, 2),
        "rows": count,
        "imported": imported,
        "check_seconds": round(checked - started, 2),
        "commit_seconds": round(finished - checked, 2),
        "copy_seconds": round(copy_seconds, 2),
        "ratio_to_copy": round(seconds / copy_seconds, 1),
        "peak_memory_growth_mb": memory.growth_mb,
        "notes": f"{imported} of {count} rows imported (check + commit); "
        f"{seconds / copy_seconds:.0f}× COPY; peak RSS +{memory.growth_mb} MB",
    }


def _valid_rows(content: bytes, mall_id: int) -> list[dict[str, Any]]:
    from members import imports

    rows = imports.parse_rows(content, "register.csv")
    return [clean for _n, _raw, clean, _e in imports.validated_rows(rows, mall_id=mall_id) if clean]


def _copy_same_rows(*, done_rows: list[dict[str, Any]], actor_id: int) -> float:
    """B3 for the import: the same valid rows COPY'd into members_member."""
    from mallservice.audit import Source, actor_context

    mall_id = None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM mallservice_mall ORDER BY id LIMIT 1")
        mall_id = cursor.fetchone()[0]
    out = io.StringIO()
    writer = csv.writer(out)
    now = timezone.now().isoformat()
    for row in done_rows:
        writer.writerow(
            [
                mall_id,
                row["phone"],
                row["name"],
                row["gender"],
                row["birthday"] or "",
                "import",
                row["tier_id"] or "",
                "active",
                "f",
                "f",
                "f",
                0,
                "",
                now,
                actor_id,
            ]
        )
    with actor_context(actor_id=actor_id, source=Source.COMMAND), transaction.atomic():
        with connection.cursor() as cursor:
            out.seek(0)
            started = time.perf_counter()
            cursor.cursor.copy_expert(
                "COPY members_member (mall_id, phone, name, gender, birthday, source, tier_id, "
                "status, consent_callback, consent_marketing, do_not_call, points_balance, "
                "notes, registered_at, registered_by_id) FROM STDIN "
                "WITH (FORMAT csv, FORCE_NOT_NULL (gender, notes))",
                out,
            )
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def run_planning(ctx: dict[str, Any]) -> dict[str, Any]:
    """The planner (members.services.campaign_plan, what beat runs) for a new
    periodic callback to every VIP member (银卡 and above) of both malls,
    rolled back afterwards so that every repetition plans the same calls."""
    from mallservice.audit import Source, actor_context
    from mallservice.services import system_actor_id
    from members.models import Campaign, Tier
    from members.services.campaigns import campaign_plan

    today = timezone.localdate()
    with (
        actor_context(actor_id=system_actor_id(), source=Source.CELERY),
        transaction.atomic(),
    ):
        campaigns = [
            Campaign.objects.create(
                mall_id=tier.mall_id,
                name="VIP 全员回访（基准）",
                kind=Campaign.Kind.PERIODIC,
                script="您好……",
                min_tier=tier,
                period_days=90,
                starts_on=today,
            )
            for tier in Tier.objects.filter(rank=2).order_by("mall_id")
        ]
        with PeakMemory() as memory:
            started = time.perf_counter()
            runs = [campaign_plan(campaign=campaign) for campaign in campaigns]
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    _vacuum("members_calltask", "members_calltaskevent", "members_campaign")
    segment = sum(
        r.created + r.already_planned + r.skipped_no_consent + r.skipped_do_not_call for r in runs
    )
    created = sum(r.created for r in runs)
    return {
        "seconds": round(seconds, 2),
        "vip_members": segment,
        "created": created,
        "peak_memory_growth_mb": memory.growth_mb,
        "notes": f"{segment} VIP members, {created} calls created; peak RSS +{memory.growth_mb} MB",
    }


def _rolled_back(run) -> dict[str, Any]:
    from mallservice.audit import Source, actor_context
    from mallservice.services import system_actor_id

    with (
        actor_context(actor_id=system_actor_id(), source=Source.CELERY),
        transaction.atomic(),
    ):
        started = time.perf_counter()
        outcome = run()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    _vacuum("members_member", "members_memberevent", "members_pointsentry", "members_tierreviewrun")
    return {"seconds": round(seconds, 2), "notes": outcome}


def _tomorrow_night():
    """The next night's run (tonight's is already in the data)."""
    return timezone.now() + datetime.timedelta(days=1)


def run_tier_evaluation(ctx: dict[str, Any]) -> dict[str, Any]:
    from members.services.tiers import tiers_evaluate

    def run() -> str:
        runs = tiers_evaluate(now=_tomorrow_night())
        return (
            f"{sum(r.upgraded for r in runs)} moved up, {sum(r.reviewed for r in runs)} "
            f"reviewed, {sum(r.downgraded for r in runs)} moved down"
        )

    return _rolled_back(run)


def run_points_expiry(ctx: dict[str, Any]) -> dict[str, Any]:
    from members.services.expiry import points_expire_due

    def run() -> str:
        result = points_expire_due(now=_tomorrow_night())
        return f"{result['points']} points of {result['members']} members expired"

    return _rolled_back(run)
