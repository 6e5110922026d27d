"""The one audit mechanism of the project.

Row history comes from django-pghistory triggers: every insert and update of a
tracked model writes an event row inside PostgreSQL, carrying the context of the
change (acting user, source). Event tables are append-only: triggers refuse
UPDATE, DELETE and TRUNCATE on them.

- `audited()` decorates a model so it gets an append-only event table.
- `actor_context()` names the actor and source for writes outside a web
  request (Celery tasks, management commands); the web middleware sets it for
  requests. Every management command runs in `command_context()`.
- pgtrigger's triggers can be switched off by a session; `audit_db` adds
  guard triggers that no session setting reaches, and the app role's grants.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pghistory
import pgtrigger
from django.contrib.auth import get_user_model
from django.db import models

# The login of the actor of scheduled work (`mallservice.services.system_actor_id`).
SYSTEM_USERNAME = "system"


class Source(models.TextChoices):
    """Where a change came from, stored as a code in each history row."""

    WEB = "web", "web"
    ADMIN = "admin", "admin"
    CELERY = "celery", "celery"
    COMMAND = "command", "command"
    API = "api", "api"


def _truncate_guard() -> pgtrigger.Trigger:
    # pgtrigger.Protect cannot guard TRUNCATE (it has no transition table), so
    # a statement-level trigger that always raises does it.
    return pgtrigger.Trigger(
        name="append_only_truncate",
        operation=pgtrigger.Truncate,
        when=pgtrigger.Before,
        level=pgtrigger.Statement,
        func="RAISE EXCEPTION 'append-only: cannot truncate %', TG_TABLE_NAME;",
    )


def append_only_triggers() -> list[pgtrigger.Trigger]:
    """Triggers that make a log table append-only (for logs that are not
    pghistory event tables, such as the sensitive-access log)."""
    return [
        pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        _truncate_guard(),
    ]


def audited(**kwargs: Any):
    """Track every insert and update of the decorated model in an append-only
    history table (UPDATE/DELETE refused by pghistory, TRUNCATE by our guard)."""
    # A fresh Meta dict per model: pghistory appends its own trigger to it.
    meta = kwargs.pop("meta", {})
    meta = {**meta, "triggers": [*meta.get("triggers", []), _truncate_guard()]}
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        append_only=True,
        meta=meta,
        **kwargs,
    )


def actor_names(user: Any) -> dict[str, str]:
    """The actor as they were named at the time of a change, kept in every
    history row: a later rename (or a copied name) cannot change who a row
    says did it, and the login tells two people of the same name apart."""
    # Stored text is a code: the system user's name is shown in the
    # reader's language (`User.__str__`) but kept as its login.
    name = user.username if user.username == SYSTEM_USERNAME else str(user)
    names = {"actor_name": name, "actor_login": user.username}
    if getattr(user, "staff_no", ""):
        names["actor_staff_no"] = user.staff_no
    return names


def _actor_names_by_id(actor_id: int) -> dict[str, str]:
    # The user model through Django: the models import this module.
    user = get_user_model().objects.filter(pk=actor_id).first()
    return actor_names(user) if user is not None else {}


@contextlib.contextmanager
def actor_context(*, actor_id: int | None, source: str, **extra: Any) -> Iterator[None]:
    """Attribute every tracked write inside the block to `actor_id` from
    `source` (a `Source` code). Celery tasks and commands must use this."""
    if actor_id is None:
        raise ValueError("an actor is required: pass a user id or the system actor")
    names = _actor_names_by_id(actor_id)
    with pghistory.context(user=actor_id, source=str(source), **names, **extra):
        yield


# Commands that serve requests or run workers attribute each request or task
# themselves; wrapping their whole run would only blur that.
_COMMANDS_WITHOUT_CONTEXT = frozenset({"runserver", "celery"})


def _resolve_command_actor(connection: Any) -> dict[str, Any]:
    """The actor named by AUDIT_ACTOR (a login), else the system user, as
    context keys; empty while the staff table does not exist (early migrate)."""
    import os

    username = os.environ.get("AUDIT_ACTOR") or "system"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('mallservice_user') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return {}
        # Raw SQL: the model's columns may be ahead of the migration applied.
        cursor.execute(
            "SELECT id, display_name, username FROM mallservice_user WHERE username = %s",
            [username],
        )
        row = cursor.fetchone()
    if row is None:
        return {}
    return {"user": row[0], "actor_name": row[1] or row[2], "actor_login": row[2]}


@contextlib.contextmanager
def command_context(name: str) -> Iterator[None]:
    """Attribute every tracked write of a management command run: source
    `command`, the command's name, the operating-system login that ran it,
    and the actor (AUDIT_ACTOR=<login>, otherwise the system user).

    The actor is looked up at the first write, not at start, so commands
    that never touch the database never connect, and `migrate` names the
    system user as soon as its own migration has created it."""
    import getpass

    from django.db import connection
    from pghistory import runtime

    if hasattr(runtime._tracker, "value"):
        # Called from code that already names its actor (call_command in a
        # task or a test): that context stands.
        yield
        return
    try:
        os_user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        os_user = ""
    resolving = False

    def fill_actor(execute, sql, params, many, context):
        nonlocal resolving
        tracker = getattr(runtime._tracker, "value", None)
        if (
            tracker is not None
            and tracker.metadata.get("user") is None
            and not resolving
            and runtime._can_inject_variable(context["cursor"], sql)
        ):
            resolving = True
            try:
                tracker.metadata.update(_resolve_command_actor(context["connection"]))
            finally:
                resolving = False
        return execute(sql, params, many, context)

    # Outermost wrapper: it fills the actor in before pghistory's own wrapper
    # serialises the context into the statement.
    with connection.execute_wrapper(fill_actor):
        with pghistory.context(
            user=None, source=Source.COMMAND.value, command=name, os_user=os_user
        ):
            yield


def wrap_management_commands() -> None:
    """Run every management command (Django's own too: `shell`, `migrate`,
    `loaddata`, `createsuperuser`) inside `command_context`."""
    from django.core.management.base import BaseCommand

    if getattr(BaseCommand.execute, "_audited", False):
        return
    original = BaseCommand.execute

    def execute(self, *args, **options):
        name = self.__class__.__module__.rsplit(".", 1)[-1]
        if name in _COMMANDS_WITHOUT_CONTEXT:
            return original(self, *args, **options)
        with command_context(name):
            return original(self, *args, **options)

    execute._audited = True
    BaseCommand.execute = execute


def name_logged_in_actor(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: the request started anonymous, so its history
    context gets the actor's names now (pghistory sets only the id)."""
    pghistory.context(**actor_names(user))
