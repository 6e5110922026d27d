"""Issue 16 item 7: the application's database role cannot rewrite history.

Each test connects to PostgreSQL as a throw-away role that owns nothing,
the way the application runs in production (README, "Database roles and
audit"); the suite itself runs as a superuser, who may bypass anything."""

from __future__ import annotations

import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from pghistory.models import Events

from mallservice import audit_db
from mallservice.audit import Source
from mallservice.models import Mall, MallEvent, SensitiveAccess, User, UserEvent
from mallservice.services import sensitive_access_log, system_actor_id

HISTORY_TABLE = MallEvent._meta.db_table
LOG_TABLE = SensitiveAccess._meta.db_table


def _pgtrigger_names(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE 'pgtrigger%%'",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


class _RoleSession:
    """Statements run as `role` inside the test's transaction (SET LOCAL
    ROLE in a savepoint: the role's own rights, rolled back at the end)."""

    def __init__(self, role: str):
        self.role = role

    def run(self, *statements: str, params=None) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            # Check the deferred foreign keys of the test's own inserts now:
            # TRUNCATE refuses a table with pending checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(self.role)}")
            for statement in statements:
                cursor.execute(statement, params)
            cursor.execute("RESET ROLE")


class _RoleConnection:
    """The same through a real connection logged in as `role`."""

    def __init__(self, conn):
        self.conn = conn

    def run(self, *statements: str, params=None) -> None:
        with self.conn, self.conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, params)


def _create_role() -> str:
    name = f"test_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {connection.ops.quote_name(name)} LOGIN NOSUPERUSER")
    return name


@pytest.fixture
def throwaway_role(db):
    """A role that owns nothing, created inside the test's transaction."""
    name = _create_role()
    return name, lambda: _RoleSession(name)


@pytest.fixture
def throwaway_login(transactional_db):
    """A committed login role and a real connection as it."""
    name = _create_role()
    opened = []

    def connect():
        settings_dict = connection.settings_dict
        conn = psycopg2.connect(
            dbname=settings_dict["NAME"],
            user=name,
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
        )
        opened.append(conn)
        return _RoleConnection(conn)

    yield name, connect
    for session in opened:
        session.close()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {qn(name)}")
        cursor.execute(f"DROP ROLE {qn(name)}")


def _history(mall: Mall) -> None:
    Mall.objects.filter(pk=mall.pk).update(name="改名留痕")
    assert MallEvent.objects.filter(pgh_obj=mall).count() >= 2


def _rewrites(table: str) -> list[str]:
    return [
        f"UPDATE {table} SET pgh_context = '{{}}'"
        if table == HISTORY_TABLE
        else f"UPDATE {table} SET field = 'forged'",
        f"DELETE FROM {table}",
        f"TRUNCATE {table}",
    ]


def _attempt(session, table: str, statement: str) -> Exception | None:
    """Run `statement` after switching off every pgtrigger trigger of the
    table for the transaction; return the error PostgreSQL raised."""
    ignore = "{" + ",".join(_pgtrigger_names(table)) + "}"
    try:
        session.run(f"SET LOCAL pgtrigger.ignore = '{ignore}'", statement)
    except (psycopg2.Error, DatabaseError) as exc:
        return exc
    return None


@pytest.mark.parametrize("table", [HISTORY_TABLE, LOG_TABLE])
def test_a_role_with_every_dml_grant_still_cannot_rewrite_history(
    throwaway_role, mall, desk_user, table
):
    # given history and a log entry, and a role granted UPDATE, DELETE and
    # TRUNCATE on them (but not their owner)
    _history(mall)
    sensitive_access_log(actor=desk_user, kind="reveal", obj=desk_user, field="phone")
    role, connect = throwaway_role
    with connection.cursor() as cursor:
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON {table} TO {role}; "
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"
        )
    conn = connect()
    rows_before = _count(table)
    # when it switches pgtrigger's triggers off for its transaction and rewrites
    for statement in _rewrites(table):
        error = _attempt(conn, table, statement)
        # then PostgreSQL refuses every one
        assert error is not None, statement
        assert "append-only" in str(error), statement
    assert _count(table) == rows_before
    assert not SensitiveAccess.objects.filter(field="forged").exists()


def test_a_real_login_of_the_app_role_cannot_rewrite_history(throwaway_login, mall, desk_user):
    # given history, and a connection logged in as a role granted like the app
    _history(mall)
    role, connect = throwaway_login
    audit_db.grant_app_role(role)
    with connection.cursor() as cursor:
        # Even a grant added by mistake is not enough: the guard still refuses.
        cursor.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON {HISTORY_TABLE} TO {role}")
    session = connect()
    rows_before = _count(HISTORY_TABLE)
    for statement in _rewrites(HISTORY_TABLE):
        error = _attempt(session, HISTORY_TABLE, statement)
        assert error is not None and "append-only" in str(error), statement
    assert _count(HISTORY_TABLE) == rows_before
    # while its ordinary writes are still recorded
    session.run("UPDATE mallservice_mall SET name = %s WHERE id = %s", params=["应用改名", mall.pk])
    assert MallEvent.objects.filter(pgh_obj=mall, name="应用改名").exists()


@pytest.mark.parametrize("table", [HISTORY_TABLE, LOG_TABLE])
def test_the_app_role_has_no_right_to_rewrite_history(throwaway_role, mall, desk_user, table):
    # given a role granted exactly as the application's (manage.py db_roles)
    _history(mall)
    sensitive_access_log(actor=desk_user, kind="reveal", obj=desk_user, field="phone")
    role, connect = throwaway_role
    audit_db.grant_app_role(role)
    conn = connect()
    rows_before = _count(table)
    for statement in _rewrites(table):
        error = _attempt(conn, table, statement)
        assert error is not None, statement
        assert "permission denied" in str(error) or "权限不够" in str(error), statement
    assert _count(table) == rows_before


def test_the_app_role_cannot_forge_a_history_row(throwaway_role, mall):
    _history(mall)
    role, connect = throwaway_role
    with connection.cursor() as cursor:
        # Even with the INSERT right the application needs for its logs.
        cursor.execute(f"GRANT SELECT, INSERT ON {HISTORY_TABLE} TO {role}")
    conn = connect()
    event = MallEvent.objects.filter(pgh_obj=mall).latest("pgh_id")
    error = _attempt(
        conn,
        HISTORY_TABLE,
        f"INSERT INTO {HISTORY_TABLE} (pgh_created_at, pgh_label, pgh_obj_id, pgh_context, "
        "id, code, name, address, phone, opens_at, closes_at, report_time, is_active) "
        f"SELECT now(), 'update', pgh_obj_id, '{{\"user\": 1}}', id, code, 'forged', address, "
        f"phone, opens_at, closes_at, report_time, is_active FROM {HISTORY_TABLE} "
        f"WHERE pgh_id = {event.pgh_id}",
    )
    assert error is not None and "append-only" in str(error)
    assert not MallEvent.objects.filter(name="forged").exists()


def test_the_app_role_still_writes_history_and_the_log(throwaway_role, mall, desk_user):
    # given the application's grants
    role, connect = throwaway_role
    audit_db.grant_app_role(role)
    session = connect()
    # when it changes a record and logs a read, as the running app does
    session.run(
        "UPDATE mallservice_mall SET name = %(name)s WHERE id = %(mall)s",
        f"INSERT INTO {LOG_TABLE} (at, actor_id, kind, object_id, field, detail) "
        "VALUES (now(), %(actor)s, 'reveal', '', 'phone', '{}')",
        params={"name": "应用改名", "mall": mall.pk, "actor": desk_user.pk},
    )
    # then both are kept
    assert MallEvent.objects.filter(pgh_obj=mall, name="应用改名", pgh_label="update").exists()
    assert SensitiveAccess.objects.filter(actor=desk_user, field="phone").exists()


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def test_every_history_table_and_log_has_the_guard(db):
    tables = audit_db.append_only_tables()
    assert HISTORY_TABLE in tables and LOG_TABLE in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'append_only_guard_truncate'"
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= guarded


def test_a_shell_command_writes_history_with_an_actor_and_source(db, mall):
    # given the system actor
    system_id = system_actor_id()
    # when someone changes a record from `manage.py shell`
    call_command(
        "shell",
        command=(
            "from mallservice.models import Mall; "
            f"Mall.objects.filter(pk={mall.pk}).update(name='命令改名')"
        ),
    )
    # then the history row names the actor, the source and the command
    event = MallEvent.objects.filter(pgh_obj=mall, name="命令改名").get()
    assert event.pgh_context["user"] == system_id
    assert event.pgh_context["source"] == Source.COMMAND
    assert event.pgh_context["command"] == "shell"


def test_a_command_is_attributed_to_the_person_named_in_audit_actor(
    db, mall, supervisor_user, monkeypatch
):
    monkeypatch.setenv("AUDIT_ACTOR", supervisor_user.username)
    call_command(
        "shell",
        command=(
            "from mallservice.models import Mall; "
            f"Mall.objects.filter(pk={mall.pk}).update(name='主管命令改名')"
        ),
    )
    event = MallEvent.objects.filter(pgh_obj=mall, name="主管命令改名").get()
    assert event.pgh_context["user"] == supervisor_user.pk
    assert event.pgh_context["source"] == Source.COMMAND


def test_createsuperuser_is_recorded_as_a_command(db, monkeypatch):
    system_id = system_actor_id()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Long-Enough-Secret-1")
    call_command("createsuperuser", username="ops-root", email="", interactive=False, verbosity=0)
    user = User.objects.get(username="ops-root")
    event = UserEvent.objects.filter(pgh_obj=user, pgh_label="insert").get()
    assert event.pgh_context["user"] == system_id
    assert event.pgh_context["command"] == "createsuperuser"
    assert Events.objects.tracks(user).exists()


def test_a_command_run_before_the_system_user_exists_still_names_command_and_source(db, mall):
    # given a database where the system user does not exist yet (as during
    # the first migrate, whose own migration creates it)
    system_id = system_actor_id()
    User.objects.filter(pk=system_id).update(username="system-later")
    # when a command writes
    call_command(
        "shell",
        command=(
            "from mallservice.models import Mall, User; "
            f"Mall.objects.filter(pk={mall.pk}).update(name='迁移前'); "
            "User.objects.filter(username='system-later').update(username='system'); "
            f"Mall.objects.filter(pk={mall.pk}).update(name='迁移后')"
        ),
    )
    # then the rows written before it existed carry the command and source,
    # and those after it name the system user
    before = MallEvent.objects.filter(pgh_obj=mall, name="迁移前").get()
    assert before.pgh_context["source"] == Source.COMMAND
    assert before.pgh_context["command"] == "shell"
    assert before.pgh_context["user"] is None
    after = MallEvent.objects.filter(pgh_obj=mall, name="迁移后").get()
    assert after.pgh_context["user"] == system_id
