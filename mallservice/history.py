"""Readable row history for the history panel: who changed what, when,
old → new. Built only from pghistory's event rows (the one audit mechanism);
labels are translated when shown, codes are what is stored."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from mallservice.models import User

EVENT_LABELS = {
    "insert": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
}
SOURCE_LABELS = {
    "web": _("desk screen"),
    "admin": _("admin site"),
    "celery": _("scheduled task"),
    "command": _("management command"),
    "api": _("API"),
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    event: str
    actor: str
    source: str
    changes: list[Change] = field(default_factory=list)


def _model_field(model: type[models.Model], name: str) -> models.Field | None:
    for candidate in (name, name.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends
            continue
    return None


class _Renderer:
    """Turns stored values into what a supervisor reads, fetching each
    related object once per panel."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self._related: dict[tuple[type[models.Model], Any], str] = {}

    def value(self, model_field: models.Field | None, raw: Any) -> str:
        if raw is None or raw == "":
            return "—"
        if model_field is None:
            return str(raw)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(raw, raw))
        if isinstance(model_field, models.BooleanField):
            return str(_("yes") if raw else _("no"))
        if model_field.is_relation and model_field.related_model is not None:
            key = (model_field.related_model, raw)
            if key not in self._related:
                obj = model_field.related_model._default_manager.filter(pk=raw).first()
                self._related[key] = str(obj) if obj is not None else f"#{raw}"
            return self._related[key]
        return str(raw)


def history_for(obj: models.Model, *, limit: int = 100) -> list[HistoryEntry]:
    """The newest `limit` history entries of `obj`, readable."""
    events = list(Events.objects.tracks(obj).order_by("-pgh_created_at")[:limit])
    actor_ids = {
        e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")
    }
    actors = {u.pk: str(u) for u in User.objects.filter(pk__in=actor_ids)}
    renderer = _Renderer(type(obj))
    hidden = {"id", "password", "last_login"}
    entries = []
    for event in events:
        context = event.pgh_context or {}
        label = event.pgh_label
        entry = HistoryEntry(
            at=event.pgh_created_at,
            event=str(EVENT_LABELS.get(label, label)),
            actor=actors.get(context.get("user"), str(_("unknown"))),
            source=str(SOURCE_LABELS.get(context.get("source"), context.get("source") or "—")),
        )
        diff = event.pgh_diff or {}
        if label == "insert":
            diff = {k: [None, v] for k, v in (event.pgh_data or {}).items()}
        for name, (old, new) in diff.items():
            if name in hidden:
                continue
            model_field = _model_field(type(obj), name)
            entry.changes.append(
                Change(
                    label=str(model_field.verbose_name) if model_field else name,
                    old=renderer.value(model_field, old),
                    new=renderer.value(model_field, new),
                )
            )
        entries.append(entry)
    return entries
