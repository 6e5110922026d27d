"""Create the database roles the project runs with (README, "Database roles
and audit"): an owner that migrates, and an application role that owns
nothing and may only read and append to history."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from mallservice import audit_db


class Command(BaseCommand):
    help = (
        "Create (or update) the owner and application database roles, hand every "
        "table to the owner and grant the application role DML on ordinary tables "
        "but only SELECT/INSERT on history tables and logs. Run as a superuser."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", help="owner role: owns the tables, runs migrate")
        parser.add_argument("--owner-password", default=None)
        parser.add_argument("--app", required=True, help="application role: serves web and workers")
        parser.add_argument("--app-password", default=None)

    def handle(self, *args, owner, owner_password, app, app_password, **options):
        if owner and owner == app:
            raise CommandError("the owner and the application role must differ")
        qn = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for role, password in ((owner, owner_password), (app, app_password)):
                if not role:
                    continue
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                verb = "ALTER" if cursor.fetchone() else "CREATE"
                # The application role must not be able to bypass triggers.
                cursor.execute(f"{verb} ROLE {qn(role)} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB")
                if password:
                    cursor.execute(f"ALTER ROLE {qn(role)} PASSWORD %s", [password])
            audit_db.install_guards(connection)
            if owner:
                self._hand_over(cursor, owner, qn)
                cursor.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {qn(owner)}")
                # Tables the owner creates later reach the app role with the
                # ordinary grants; post_migrate then takes UPDATE/DELETE back
                # on new history tables (DATABASE_APP_ROLES).
                cursor.execute(
                    f"ALTER DEFAULT PRIVILEGES FOR ROLE {qn(owner)} IN SCHEMA public "
                    f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {qn(app)}"
                )
                cursor.execute(
                    f"ALTER DEFAULT PRIVILEGES FOR ROLE {qn(owner)} IN SCHEMA public "
                    f"GRANT USAGE, SELECT ON SEQUENCES TO {qn(app)}"
                )
            cursor.execute("SELECT current_database()")
            database = cursor.fetchone()[0]
            cursor.execute(f"GRANT CONNECT ON DATABASE {qn(database)} TO {qn(app)}")
            audit_db.grant_app_role(app, connection)
        self.stdout.write(
            f"app role {app}: SELECT/INSERT only on {len(audit_db.append_only_tables())} "
            "history tables and logs"
        )

    def _hand_over(self, cursor, owner: str, qn) -> None:
        cursor.execute(
            "SELECT c.relname, c.relkind FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')"
        )
        for name, kind in cursor.fetchall():
            if kind == "S":
                # Sequences owned by a column follow their table.
                cursor.execute(
                    "SELECT 1 FROM pg_depend d JOIN pg_class s ON s.oid = d.objid "
                    "WHERE s.relname = %s AND d.deptype IN ('a', 'i')",
                    [name],
                )
                if cursor.fetchone():
                    continue
            keyword = {"S": "SEQUENCE", "v": "VIEW", "m": "MATERIALIZED VIEW"}.get(kind, "TABLE")
            cursor.execute(f"ALTER {keyword} {qn(name)} OWNER TO {qn(owner)}")
        cursor.execute(f"ALTER FUNCTION {audit_db.GUARD_FUNCTION}() OWNER TO {qn(owner)}")
