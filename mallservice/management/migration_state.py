"""Cheaper migration state for `migrate`: most operations re-render their
own model only.

After each operation Django re-renders the changed model in the migration
state, and with it every model related to it and every model related to
those. Every model here has a foreign key to the mall and the staff table
(the audit event models too), so creating one model or adding one field,
index, constraint or audit trigger re-rendered nearly all ~170 models:
about a thousand such operations made `migrate` on an empty database (and
the test database) take minutes, nearly all of it in Django's model
rendering, not in PostgreSQL.

These operations change no class another model holds, so the one model is
rendered again and the others keep theirs:
- CreateModel: nothing points at the new class yet; its foreign keys
  resolve to the current classes of their targets, which see the reverse
  relation through the registry;
- AddField (a column, or a plain foreign key): the models pointing at the
  changed model only need its table and primary key, which do not change;
- AlterField where Django itself re-renders lazily (no relation, nothing
  references the field);
- index, constraint and pgtrigger trigger operations: `Meta` lists only.
The state is marked "delayed", as Django does for option changes: before a
RunPython and before the post_migrate signal Django re-renders every model,
so data migrations and signal handlers see complete, consistent models.
Everything else (removals, renames, relation changes, table names,
options) goes Django's own way, and so does any case this cannot vouch for:
a model with subclasses or model bases, a many-to-many field, a target
rendered in an older registry.

MIGRATE_FULL_RENDER=1 switches this off (to compare, or to rule it out).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Callable, Iterator
from typing import Any

from django.db import models
from django.db.migrations.state import ProjectState
from django.db.migrations.utils import resolve_relation

OPTIONS = "options"
NEW_MODEL = "new model"
ADDED_FIELD = "added field"
ALTERED_FIELD = "altered field"

# The kind of operation updating the state right now, if a cheap one.
_operation_kind: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "migration_operation_kind", default=None
)

# ProjectState methods that change only a model's index and constraint lists.
_OPTION_METHODS = ("_append_option", "_remove_option", "_alter_option", "rename_index")


def _marked(kind: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = _operation_kind.set(kind)
        try:
            return method(*args, **kwargs)
        finally:
            _operation_kind.reset(token)

    return wrapper


def _renders_alone(state: ProjectState, kind: str, key: tuple[str, str], delay: bool) -> bool:
    """Whether re-rendering only `key` leaves the state's other classes valid."""
    apps = state.apps
    try:
        existing = apps.get_model(*key)
    except LookupError:
        existing = None
    if kind == NEW_MODEL:
        if existing is not None:
            return False
        if any(base is not models.Model for base in state.models[key].bases):
            return False
        return _targets_rendered_in(state, key)
    # A parent's subclasses (multi-table, proxy) hold its old class.
    if existing is None or existing.__subclasses__():
        return False
    if kind == ADDED_FIELD:
        return _targets_rendered_in(state, key)
    # Options, and a field Django itself re-renders lazily (no relation,
    # nothing references it).
    return delay


def _targets_rendered_in(state: ProjectState, key: tuple[str, str]) -> bool:
    """The model's relations are plain foreign keys to models rendered in
    the state's current registry (an older registry's class would not see
    the changed model's reverse relation)."""
    apps = state.apps
    for field in state.models[key].fields.values():
        if not field.is_relation:
            continue
        if field.many_to_many:
            return False
        target_key = resolve_relation(field.related_model, *key)
        if target_key == key:
            continue
        try:
            target = apps.get_model(*target_key)
        except LookupError:
            return False
        if target._meta.apps is not apps:
            return False
    return True


def _reload_model(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def reload_model(
        self: ProjectState, app_label: str, model_name: str, delay: bool = False
    ) -> None:
        kind = _operation_kind.get()
        key = (app_label, model_name)
        if (
            kind is None
            or "apps" not in self.__dict__
            or not _renders_alone(self, kind, key, delay)
        ):
            return original(self, app_label, model_name, delay)
        self.is_delayed = True
        self._reload({key})

    return reload_model


def _trigger_operations() -> list[type]:
    from pgtrigger.migrations import AddTrigger, RemoveTrigger

    return [AddTrigger, RemoveTrigger]


@contextlib.contextmanager
def cheap_model_rendering() -> Iterator[None]:
    """Within the block, new models and index, constraint and trigger
    operations re-render only their own model (see the module docstring)."""
    if os.environ.get("MIGRATE_FULL_RENDER") == "1":
        yield
        return
    saved: list[tuple[type, str, Any]] = []

    def patch(owner: type, name: str, replacement: Any) -> None:
        saved.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, replacement)

    try:
        patch(ProjectState, "reload_model", _reload_model(ProjectState.reload_model))
        patch(ProjectState, "add_model", _marked(NEW_MODEL, ProjectState.add_model))
        patch(ProjectState, "add_field", _marked(ADDED_FIELD, ProjectState.add_field))
        patch(ProjectState, "alter_field", _marked(ALTERED_FIELD, ProjectState.alter_field))
        for name in _OPTION_METHODS:
            patch(ProjectState, name, _marked(OPTIONS, getattr(ProjectState, name)))
        for operation in _trigger_operations():
            patch(operation, "state_forwards", _marked(OPTIONS, operation.state_forwards))
        yield
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)
