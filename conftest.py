"""Fixtures for every app: malls, one user per role in each mall, the
permission-matrix world, and a Playwright browser on Debian's chromium."""

from __future__ import annotations

import datetime
import os
import re
import shutil
from pathlib import Path

import pgtrigger
import pytest
import time_machine
from celery.contrib.testing.worker import test_worker_stopped
from django.core.cache import cache
from django.db import transaction
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import timezone

from mallservice.celery import worker_database_timeouts_undo
from mallservice.roles import Role
from mallservice.tests.factories import FloorFactory, MallFactory, UnitFactory, make_staff

# Transactional tests end with a TRUNCATE of every table, which the
# append-only history tables refuse. Only the test teardown may bypass the
# guard: as the superuser the tests run as, with triggers (the guards and
# the foreign-key checks) off for its transaction. A TRUNCATE of some 500
# nearly empty tables rewrites every file (about 5 s a test); deleting their
# rows takes a fraction of that.
_original_flush = DatabaseOperations.execute_sql_flush
_TRUNCATE = re.compile(r"^TRUNCATE (?P<tables>.+?);?$", re.S)


def _flush_ignoring_append_only(self, sql_list):
    deletes = []
    for sql in sql_list:
        match = _TRUNCATE.match(sql.strip())
        if match is None or "RESTART IDENTITY" in sql or "CASCADE" in sql:
            deletes = None
            break
        deletes += [f"DELETE FROM {table.strip()}" for table in match["tables"].split(",")]
    if deletes is None:
        with pgtrigger.ignore():
            _original_flush(self, sql_list)
        return
    with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(";".join(deletes))


DatabaseOperations.execute_sql_flush = _flush_ignoring_append_only


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="LOCAL_TIME",
        help="run as if the mall's clock read LOCAL_TIME (ISO, e.g. 2026-11-27T23:59:30), "
        "ticking on from there: a test that passes only at some hours fails here. "
        "Only this process travels; the browser and PostgreSQL keep the real time.",
    )


def pytest_sessionstart(session):
    when = session.config.getoption("clock")
    if when:
        moment = datetime.datetime.fromisoformat(when)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        session.config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Each test starts with an empty cache: a user's cached access (ids
    # repeat from one test database to the next), rate limits, the screens.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every fixture user gets a hashed password; PBKDF2 at full strength
    # makes permission matrices crawl on a 2-core CI box.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    # Tasks run in-process unless a test starts a real worker.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def mall(db):
    return MallFactory(code="own", name="星河广场")


@pytest.fixture
def other_mall(db):
    return MallFactory(code="other", name="云门购物中心")


@pytest.fixture
def floor(mall):
    return FloorFactory(mall=mall, code="1F", name="一层", level=1)


@pytest.fixture
def shop(floor):
    return UnitFactory(floor=floor, mall=floor.mall, name="优衣库")


@pytest.fixture
def desk_user(mall):
    return make_staff(role=Role.DESK, mall=mall, username="desk", display_name="陈晓雯")


@pytest.fixture
def broadcaster_user(mall):
    return make_staff(role=Role.BROADCASTER, mall=mall, username="broadcaster")


@pytest.fixture
def supervisor_user(mall):
    return make_staff(role=Role.SUPERVISOR, mall=mall, username="supervisor", display_name="张主管")


@pytest.fixture
def manager_user(mall, other_mall):
    return make_staff(role=Role.MANAGER, mall=mall, username="manager", all_malls=True)


@pytest.fixture
def permission_world(mall, other_mall, desk_user, broadcaster_user, supervisor_user, manager_user):
    """Two malls and one user of each role in the own mall; apps add their
    objects under world["objects"][OWN/OTHER]."""
    return {
        "malls": {"own": mall, "other": other_mall},
        "users": {
            Role.DESK.value: desk_user,
            Role.BROADCASTER.value: broadcaster_user,
            Role.SUPERVISOR.value: supervisor_user,
            Role.MANAGER.value: manager_user,
        },
        "objects": {"own": {}, "other": {}},
    }


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: install Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls from the test body are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """Log in through the real login form: login(user) → page on home."""
    from django.conf import settings

    def _login(user, password: str = settings.DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("[data-testid=login-submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login


# A test's in-process Celery worker switches the process to the workers'
# database timeouts (mallservice/celery.py); once it stops, the tests get
# the web's back.
test_worker_stopped.connect(worker_database_timeouts_undo, weak=False)
