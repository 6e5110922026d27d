"""The one audit mechanism of the project.

Row history comes from django-pghistory triggers: every insert and update of a
tracked model writes an event row inside PostgreSQL, carrying the context of the
change (acting user, source). Event tables are append-only: triggers refuse
UPDATE, DELETE and TRUNCATE on them.

- `audited()` decorates a model so it gets an append-only event table.
- `actor_context()` names the actor and source for writes outside a web
  request (Celery tasks, management commands); the web middleware sets it for
  requests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pghistory
import pgtrigger
from django.db import models


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


@contextlib.contextmanager
def actor_context(*, actor_id: int | None, source: str, **extra: Any) -> Iterator[None]:
    """Attribute every tracked write inside the block to `actor_id` from
    `source` (a `Source` code). Celery tasks and commands must use this."""
    if actor_id is None:
        raise ValueError("an actor is required: pass a user id or the system actor")
    with pghistory.context(user=actor_id, source=str(source), **extra):
        yield
