"""The audit trail's protection inside PostgreSQL, beyond pgtrigger.

pgtrigger's append-only triggers can be switched off by any session with
`SET LOCAL pgtrigger.ignore = '{...}'`, so on their own they stop mistakes,
not the application's database role. This module adds:

- plain PostgreSQL guard triggers (no session setting reaches them) that
  refuse UPDATE, DELETE and TRUNCATE of every history table and append-only
  log, and a direct INSERT into a history table (history rows are written by
  the tracked table's triggers only), unless the role could drop the trigger
  anyway: a superuser or the table's owner;
- the grants of the application's role: read and write on ordinary tables,
  only SELECT and INSERT on history tables and logs.

`install_guards()` runs after every migrate (the owner runs migrate);
`grant_app_role()` then too for each role in `DATABASE_APP_ROLES`, and from
`manage.py db_roles`, which creates the roles.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

GUARD_FUNCTION = "mallservice_append_only_guard"
# pghistory's own context table: unused with the JSON context field, but
# history all the same.
EXTRA_APPEND_ONLY_TABLES = ("pghistory_context",)

_GUARD_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $guard$
BEGIN
    -- Only a role that could drop this trigger anyway (a superuser, or a
    -- member of the table's owner role) gets through; no session setting
    -- changes current_user's rights, and only a superuser may SET ROLE.
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper)
       OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')
    THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'append-only: % on % refused for role %', TG_OP, TG_TABLE_NAME, current_user
        USING ERRCODE = 'insufficient_privilege';
END
$guard$;
"""


def history_tables() -> list[str]:
    """pghistory's event tables: written only by the tracked tables' triggers."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if getattr(model, "pgh_tracked_model", None) is not None
        }
        | set(EXTRA_APPEND_ONLY_TABLES)
    )


def log_tables() -> list[str]:
    """Append-only logs the application inserts into itself (the
    sensitive-access log, ledgers): `Meta.triggers = append_only_triggers()`."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if getattr(model, "pgh_tracked_model", None) is None
        and "append_only" in {t.name for t in getattr(model._meta, "triggers", [])}
    )


def append_only_tables() -> list[str]:
    return sorted({*history_tables(), *log_tables()})


def _existing(cursor, tables: list[str]) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY(%s)",
        [tables],
    )
    return sorted(row[0] for row in cursor.fetchall())


def install_guards(connection: BaseDatabaseWrapper | None = None) -> list[str]:
    """Create or refresh the guard triggers; returns the guarded tables."""
    connection = connection or connections["default"]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_GUARD_FUNCTION_SQL)
        history = set(history_tables())
        tables = _existing(cursor, append_only_tables())
        for table in tables:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER append_only_guard BEFORE UPDATE OR DELETE ON {qn(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()"
            )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER append_only_guard_truncate BEFORE TRUNCATE ON {qn(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {GUARD_FUNCTION}()"
            )
            if table in history:
                # Forged history: a row inserted by hand, not by a trigger.
                # The WHEN clause costs nothing on the triggers' own inserts.
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER append_only_guard_insert BEFORE INSERT ON {qn(table)} "
                    f"FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION {GUARD_FUNCTION}()"
                )
    return tables


def grant_app_role(role: str, connection: BaseDatabaseWrapper | None = None) -> None:
    """Give `role` what the running application needs and no more: DML on
    ordinary tables, SELECT and INSERT on history tables and logs, the
    sequences, and nothing it could own or create."""
    connection = connection or connections["default"]
    qn = connection.ops.quote_name
    role_q = qn(role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role_q}")
        cursor.execute(f"REVOKE CREATE ON SCHEMA public FROM {role_q}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role_q}"
        )
        cursor.execute(
            f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role_q}"
        )
        for table in _existing(cursor, append_only_tables()):
            cursor.execute(f"REVOKE UPDATE, DELETE ON {qn(table)} FROM {role_q}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_q}")


def post_migrate_signal(sender, app_config=None, using="default", **kwargs) -> None:
    # Only after `migrate` (which sends its plan): a `flush`, which sends
    # none, empties tables and keeps their triggers.
    if kwargs.get("plan") is None:
        return
    # Once, after the last app: every table exists by then.
    last_app = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if app_config is not None and app_config.label != last_app.label:
        return
    connection = connections[using]
    install_guards(connection)
    for role in getattr(settings, "DATABASE_APP_ROLES", []):
        grant_app_role(role, connection)
