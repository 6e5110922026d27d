"""Fault test with real processes: a Celery worker is killed with SIGKILL in
the middle of a member import's check, and the work completes once the
imports dispatcher runs again - a few seconds later, not after the broker's
visibility timeout (an hour before)."""

from __future__ import annotations

import datetime
import os
import signal
import time
import uuid

import pytest
from django.db import connection

from mallservice.celery import app
from mallservice.models import JobRun
from mallservice.testing import celery_worker_process
from members.import_jobs import CHECK_JOB, imports_dispatch
from members.models import MemberImport

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    # send_task always goes through Redis; the suite's eager setting is moot
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

STALE_SECONDS = 3
ROWS = 20_000


def _register(rows: int) -> bytes:
    lines = ["姓名,手机,性别,生日,等级"]
    lines += [f"会员{i},139{i:08d},女,1990-01-01," for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _forget_messages_of(queue: str) -> None:
    """Drop what the killed worker left in Redis (its unacknowledged
    message, the queue), so no later worker restores it."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        for tag, payload in client.hgetall("unacked").items():
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
        client.delete(queue)


@pytest.fixture
def queue():
    name = f"fault-{uuid.uuid4().hex[:8]}"
    yield name
    _forget_messages_of(name)


def _db_now() -> datetime.datetime:
    """The clock the worker's heartbeat shares: a `--clock` run moves only
    this process's clock, so staleness is judged by PostgreSQL's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_import_killed_mid_check_completes_at_the_next_dispatch(
    mall, desk_user, tiers, settings, queue
):
    settings.JOB_STALE_SECONDS = STALE_SECONDS
    record = MemberImport.objects.create(
        mall=mall, filename="register.csv", content=_register(ROWS), created_by=desk_user
    )
    with celery_worker_process(
        queue=queue, env={"JOB_STALE_SECONDS": str(STALE_SECONDS)}
    ) as worker:
        # given the check running in a real worker, rows being counted
        app.send_task(
            "members.tasks.import_check",
            args=[record.pk],
            kwargs={"actor_id": desk_user.pk},
            queue=queue,
        )
        _wait_for(
            lambda: MemberImport.objects.filter(
                pk=record.pk, status=MemberImport.Status.CHECKING, processed_rows__gt=0
            ).exists(),
            timeout=30,
            what="the check to start: " + worker.log.read_text(errors="replace")[-2000:],
        )
        # when the worker is killed mid-job (kill -9: no cleanup, no ack)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    record.refresh_from_db()
    assert record.status == MemberImport.Status.CHECKING and record.processed_rows < ROWS
    run = JobRun.objects.get(job=CHECK_JOB, key=str(record.pk))
    assert run.status == JobRun.Status.RUNNING and run.attempts == 1
    # and the dispatcher runs while the heartbeat is still fresh: left alone
    assert imports_dispatch(now=_db_now()) == 0
    # then once the heartbeat is stale (seconds, not the hour of the
    # broker's redelivery) the next dispatch checks the whole file, once
    _wait_for(
        lambda: (
            JobRun.objects.get(pk=run.pk).heartbeat_at
            < _db_now() - datetime.timedelta(seconds=STALE_SECONDS)
        ),
        timeout=15,
        what="the heartbeat to go stale",
    )
    assert imports_dispatch(now=_db_now()) == 1
    assert imports_dispatch(now=_db_now()) == 0
    record.refresh_from_db()
    assert record.status == MemberImport.Status.CHECKED
    assert record.total_rows == ROWS and record.valid_rows == ROWS
    run.refresh_from_db()
    assert run.status == JobRun.Status.DONE and run.attempts == 2
