"""Daily work and imports are recovered from PostgreSQL state by the
beat-driven dispatchers (JobRun rows), not by the broker's redelivery: a
crashed worker's run is taken up again a few minutes later, exactly once."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from mallservice.jobs import daily_jobs_dispatch
from mallservice.models import JobRun
from members.import_jobs import CHECK_JOB, imports_dispatch
from members.models import CallTask, MemberImport
from members.tests.factories import CampaignFactory, MemberFactory

pytestmark = pytest.mark.django_db

PLANNER = "members.tasks.plan_calls"
TIERS = "members.tasks.evaluate_tiers"
EXPIRY = "members.tasks.expire_points"
MORNING = timezone.make_aware(datetime.datetime(2026, 11, 27, 7, 31))
DAY = "2026-11-27"

CSV = "姓名,手机,性别,生日,等级\n张三,13800000001,男,1988-02-03,金卡\n孙八,13800000003,女,,银卡\n"


@pytest.fixture
def vip_members(mall, desk_user, tiers):
    CampaignFactory(mall=mall, min_tier=tiers["gold"])
    for _ in range(3):
        MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"])


def _crashed_run(job: str, *, minutes_ago: int, now: datetime.datetime) -> JobRun:
    """What a worker killed mid-job leaves: a claimed run whose heartbeat stopped."""
    at = now - datetime.timedelta(minutes=minutes_ago)
    return JobRun.objects.create(
        job=job,
        key=DAY,
        status=JobRun.Status.RUNNING,
        claimed_at=at,
        heartbeat_at=at,
        attempts=1,
    )


def test_a_planner_whose_worker_died_is_run_again_exactly_once(vip_members, settings):
    settings.JOB_STALE_SECONDS = 120
    with time_machine.travel(MORNING, tick=False):
        # given the expiry and tiers done, and the planner claimed at 07:30 by
        # a worker that was then killed (its heartbeat stopped 5 minutes ago)
        for job in (EXPIRY, TIERS):
            JobRun.objects.create(job=job, key=DAY, status=JobRun.Status.DONE, attempts=1)
        _crashed_run(PLANNER, minutes_ago=5, now=MORNING)
        # when the dispatcher runs (every minute), twice
        first = daily_jobs_dispatch()
        second = daily_jobs_dispatch()
    # then the planner ran once more and planned the day's calls, once
    assert first == [PLANNER] and second == []
    run = JobRun.objects.get(job=PLANNER, key=DAY)
    assert run.status == JobRun.Status.DONE and run.attempts == 2
    assert CallTask.objects.count() == 3


def test_a_run_with_a_live_heartbeat_is_left_to_its_worker(vip_members, settings):
    settings.JOB_STALE_SECONDS = 120
    with time_machine.travel(MORNING, tick=False):
        for job in (EXPIRY, TIERS):
            JobRun.objects.create(job=job, key=DAY, status=JobRun.Status.DONE, attempts=1)
        _crashed_run(PLANNER, minutes_ago=1, now=MORNING)  # still beating a minute ago
        assert daily_jobs_dispatch() == []
    assert JobRun.objects.get(job=PLANNER).attempts == 1
    assert CallTask.objects.count() == 0


def test_daily_jobs_whose_messages_were_lost_run_in_order_once(vip_members):
    # given no run at all today (beat's messages lost in a Redis restart)
    with time_machine.travel(MORNING, tick=False):
        # when the dispatcher runs after 07:30, once a minute
        ran = [daily_jobs_dispatch() for _ in range(4)]
    assert ran == [[EXPIRY], [TIERS], [PLANNER], []]
    # then each ran once, the planner after the tiers
    runs = {r.job: r for r in JobRun.objects.filter(key=DAY)}
    assert {job: r.attempts for job, r in runs.items()} == {EXPIRY: 1, TIERS: 1, PLANNER: 1}
    assert runs[TIERS].finished_at <= runs[PLANNER].claimed_at
    assert CallTask.objects.count() == 3


def test_before_its_time_a_daily_job_waits(vip_members):
    with time_machine.travel(MORNING - datetime.timedelta(hours=7), tick=False):  # 00:31
        assert daily_jobs_dispatch() == [EXPIRY]
    assert CallTask.objects.count() == 0


def test_an_import_whose_check_message_was_lost_is_checked_by_the_dispatcher(
    mall, desk_user, tiers
):
    # given an upload that stayed "uploaded / 0 rows": its message never
    # arrived (Redis was away when the upload committed)
    record = MemberImport.objects.create(
        mall=mall, filename="register.csv", content=CSV.encode(), created_by=desk_user
    )
    MemberImport.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    # when the imports dispatcher runs, twice
    assert imports_dispatch() == 1
    assert imports_dispatch() == 0
    # then the preview is ready, checked once
    record.refresh_from_db()
    assert record.status == MemberImport.Status.CHECKED and record.valid_rows == 2
    assert JobRun.objects.get(job=CHECK_JOB, key=str(record.pk)).attempts == 1


def test_a_fresh_upload_is_left_to_its_own_task(mall, desk_user, tiers):
    MemberImport.objects.create(
        mall=mall, filename="register.csv", content=CSV.encode(), created_by=desk_user
    )
    assert imports_dispatch() == 0


def test_a_job_that_killed_its_worker_three_times_is_given_up(vip_members, settings):
    settings.JOB_STALE_SECONDS = 120
    with time_machine.travel(MORNING, tick=False):
        for job in (EXPIRY, TIERS):
            JobRun.objects.create(job=job, key=DAY, status=JobRun.Status.DONE, attempts=1)
        run = _crashed_run(PLANNER, minutes_ago=5, now=MORNING)
        JobRun.objects.filter(pk=run.pk).update(attempts=3)
        assert daily_jobs_dispatch() == []
    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED and run.error == "worker lost"


def test_an_import_whose_check_was_given_up_ends_as_failed(mall, desk_user, tiers):
    record = MemberImport.objects.create(
        mall=mall,
        filename="register.csv",
        content=CSV.encode(),
        created_by=desk_user,
        status=MemberImport.Status.CHECKING,
    )
    JobRun.objects.create(
        job=CHECK_JOB, key=str(record.pk), status=JobRun.Status.FAILED, attempts=3
    )
    assert imports_dispatch() == 0
    record.refresh_from_db()
    assert record.status == MemberImport.Status.FAILED
    assert record.errors == [{"row": 0, "codes": ["bad_file"]}]
