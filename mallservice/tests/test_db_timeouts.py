"""No request waits for ever on the database (issue 24, item 7).

Connections carry a statement, lock and idle-in-transaction timeout (the
web's short, the workers' longer); a change that gives up waiting for a row
someone else holds is rolled back and the user is asked to try again."""

from __future__ import annotations

import time
import uuid

import psycopg2
import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection, connections
from django.urls import reverse

from complaints.models import Complaint, Status
from complaints.tests.factories import make_complaint
from mallservice.celery import app as celery_app

TIMEOUTS = ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout")


def _show(cursor, name: str) -> str:
    cursor.execute(f"SHOW {name}")
    return cursor.fetchone()[0]


def _ms(value: str) -> int:
    """PostgreSQL's display of a duration ("5s", "10min", "0") in ms."""
    units = {"ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000}
    for unit in sorted(units, key=len, reverse=True):
        if value.endswith(unit):
            return int(value[: -len(unit)]) * units[unit]
    return int(value)


def _fresh_connection_timeouts() -> dict[str, int]:
    # A new connection: the test's own may have been opened by an earlier
    # test's in-process worker.
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            return {name: _ms(_show(cursor, name)) for name in TIMEOUTS}
    finally:
        fresh.close()


def test_web_connections_carry_the_configured_timeouts(db, settings):
    # given a new database connection of the web, then every timeout is set
    shown = _fresh_connection_timeouts()
    assert shown == settings.DB_TIMEOUTS
    assert all(ms > 0 for ms in shown.values())
    # and the workers' are longer
    assert all(settings.DB_WORKER_TIMEOUTS[name] > shown[name] for name in TIMEOUTS)


@celery_app.task(name="tests.show_database_timeouts")
def show_database_timeouts(key: str) -> None:
    # No result backend: the answer goes back through the cache.
    with connection.cursor() as cursor:
        cache.set(key, {name: _show(cursor, name) for name in TIMEOUTS})


def _wait_for(key: str) -> dict[str, str] | None:
    deadline = time.monotonic() + 30
    while (found := cache.get(key)) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


@pytest.mark.django_db(transaction=True)
def test_a_worker_uses_the_workers_longer_timeouts(settings):
    # given a real worker (its own start, as `celery worker` does it)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    queue = f"test-timeouts-{uuid.uuid4().hex}"
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
        ):
            # when a task reads its connection's timeouts
            show_database_timeouts.apply_async(args=[queue], queue=queue)
            shown = _wait_for(queue)
    finally:
        celery_app.conf.task_always_eager = True
    # then they are the workers'
    assert shown is not None
    assert {name: _ms(value) for name, value in shown.items()} == settings.DB_WORKER_TIMEOUTS
    # and once the worker stopped, this process connects with the web's again
    assert _fresh_connection_timeouts() == settings.DB_TIMEOUTS


@pytest.fixture
def row_lock():
    """Hold a complaint's row lock from a second connection, as a desk or
    a dispatcher in the middle of a change would; `release()` commits."""
    conn = psycopg2.connect(
        dbname=connection.settings_dict["NAME"],
        user=connection.settings_dict["USER"],
        password=connection.settings_dict["PASSWORD"],
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"] or 5432,
    )

    class Lock:
        def hold(self, complaint: Complaint) -> None:
            with conn.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM complaints_complaint WHERE id = %s FOR UPDATE", [complaint.pk]
                )

        def release(self) -> None:
            conn.rollback()

    yield Lock()
    conn.rollback()
    conn.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("timeout", ["lock_timeout", "statement_timeout"])
def test_a_change_to_a_row_someone_else_holds_asks_to_try_again(
    client, desk_user, mall, shop, row_lock, timeout
):
    client.raise_request_exception = False
    # given a complaint whose row another transaction holds, and a short
    # timeout (the lock or the whole statement)
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop)
    waiting = Status.objects.get(mall=mall, code="waiting_customer")
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")
        cursor.execute(f"SET {timeout} = '300ms'")
    row_lock.hold(complaint)
    client.force_login(desk_user)
    detail = reverse("complaints:detail", args=[complaint.pk])
    status_url = reverse("complaints:status", args=[complaint.pk])
    post = {"status-status": waiting.pk}
    try:
        # when the desk changes its status
        started = time.monotonic()
        response = client.post(status_url, post, HTTP_REFERER=f"http://testserver{detail}")
        waited = time.monotonic() - started
        # then the answer comes after the timeout, not a hang and not a 500,
        # and sends the user back to the complaint with the reason
        assert response.status_code == 303
        assert response["Location"] == f"http://testserver{detail}"
        assert 0.3 <= waited < 5
        page = client.get(detail)
        assert [(m.level_tag, str(m)) for m in get_messages(page.wsgi_request)] == [
            ("error", "其他人正在修改这条记录，请稍后重试。")
        ]
        # and nothing was applied
        assert Complaint.objects.get(pk=complaint.pk).status.code != "waiting_customer"

        # when the other transaction is done, the same change goes through
        row_lock.release()
        response = client.post(status_url, post)
        assert response.status_code == 302
        assert Complaint.objects.get(pk=complaint.pk).status.code == "waiting_customer"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {timeout}")
            cursor.execute("RESET lock_timeout")
