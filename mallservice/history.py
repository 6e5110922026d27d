"""Readable row history for the history panel: who changed what, when,
old → new. Built only from pghistory's event rows (the one audit mechanism);
labels are translated when shown, codes are what is stored."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from pghistory.models import Events

from mallservice.masking import mask_phone
from mallservice.models import SYSTEM_USERNAME, User
from mallservice.permissions import VIEW_HISTORY
from mallservice.selectors import user_mall_ids

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


# Labels for fields whose model gives no verbose name (the label would
# otherwise be the code, "assignment no").
FALLBACK_LABELS = {
    "id": _("record number"),
    "assignment_no": _("assignment round"),
    "mall": _("mall"),
    "member": _("member"),
    "actor": _("by"),
    "at": _("at"),
    "created_by": _("created by"),
    "created_at": _("created at"),
    "requested_by": _("requested by"),
    "requested_at": _("requested at"),
    "decided_by": _("decided by"),
    "decided_at": _("decided at"),
    "uploaded_by": _("uploaded by"),
    "issued_by": _("issued by"),
    "closed_at": _("closed at"),
    "status_changed_at": _("status changed at"),
    "campaign": _("campaign"),
    "task": _("follow-up call"),
    "caller": _("called by"),
    "parent": _("previous call"),
    "batch": _("card batch"),
    "replaces": _("replaces card"),
    "complaint": _("complaint"),
    "fault": _("fault report"),
    "content_type": _("record type"),
    "object_id": _("record"),
    "ip": _("address"),
    "data": _("details"),
    "origin": _("origin"),
    # The apps' and the kernel's fields left without a verbose name.
    "approved_by": pgettext_lazy("field", "approved by"),
    "total_rows": pgettext_lazy("field", "rows in the file"),
    "processed_rows": pgettext_lazy("field", "rows processed"),
    "valid_rows": pgettext_lazy("field", "valid rows"),
    "imported_rows": pgettext_lazy("field", "rows imported"),
    "errors": pgettext_lazy("field", "errors"),
    "survivor": pgettext_lazy("field", "member kept"),
    "absorbed": pgettext_lazy("field", "member merged away"),
    "points_moved": pgettext_lazy("field", "points moved"),
    "cards_moved": pgettext_lazy("field", "cards moved"),
    "tasks_moved": pgettext_lazy("field", "calls moved"),
    "snapshot": pgettext_lazy("field", "record before the change"),
    "swap": pgettext_lazy("field", "shift swap"),
    "staff": pgettext_lazy("field", "staff member"),
    "session": pgettext_lazy("field", "training session"),
    "user": pgettext_lazy("field", "staff member"),
    "group": pgettext_lazy("field", "role"),
    "job": pgettext_lazy("field", "job"),
    "key": pgettext_lazy("field", "key"),
    "status": pgettext_lazy("field", "status"),
    "name": pgettext_lazy("field", "name"),
    "claimed_at": pgettext_lazy("field", "claimed at"),
    "heartbeat_at": pgettext_lazy("field", "last sign of life"),
    "finished_at": pgettext_lazy("field", "finished at"),
    "attempts": pgettext_lazy("field", "attempts"),
    "error": pgettext_lazy("field", "error"),
}
# Never shown: secrets and blobs.
HIDDEN_FIELDS = {"id", "password", "last_login", "token", "content", "pin_hash"}
_PHONE_NAME = re.compile(r"(^|_)(phone|mobile)($|_)")


def is_phone_field(name: str) -> bool:
    """Any field holding a phone number (phone, mobile, recipient_phone,
    finder_phone, ...): masked in history like everywhere else on screen."""
    return bool(_PHONE_NAME.search(name.removesuffix("_id")))


def history_visible(user: Any, obj: models.Model) -> bool:
    """Whether `user` sees the history panel of `obj`: supervisors and
    managers of its mall (records without a mall: managers of every mall).
    The panel's view and the loader on detail pages both ask this, so a
    desk user never gets a loader that answers 404."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.has_perm(VIEW_HISTORY):
        return False
    if obj._meta.label == "mallservice.Mall":
        mall_id = obj.pk
    else:
        mall_id = getattr(obj, "mall_id", None)
    if mall_id is not None:
        return mall_id in user_mall_ids(user)
    return bool(user.is_superuser or user.all_malls)


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

    def value(self, model_field: models.Field | None, raw: Any, name: str = "") -> str:
        if raw is None or raw == "" or raw == {} or raw == []:
            return "—"
        # A model names other fields that may hold a phone (PHONE_FIELDS).
        if is_phone_field(name) or name in getattr(self.model, "PHONE_FIELDS", ()):
            return mask_phone(str(raw))
        if model_field is None:
            return self._plain(raw)
        # A JSON field's keys are codes ({"found_place": ...}): the model may
        # name them (HISTORY_KEY_LABELS = {"fields": {"found_place": _("found where")}}).
        key_labels = getattr(self.model, "HISTORY_KEY_LABELS", {}).get(name)
        if key_labels and isinstance(raw, dict):
            raw = {str(key_labels.get(key, key)): value for key, value in raw.items()}
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
        # Stored as ISO text in UTC: shown in the mall's time like every page.
        if isinstance(model_field, models.DateTimeField):
            moment = _parse(parse_datetime, raw)
            if moment is not None:
                if timezone.is_naive(moment):
                    moment = timezone.make_aware(moment, datetime.UTC)
                return date_format(timezone.localtime(moment), "Y-m-d H:i")
        elif isinstance(model_field, models.DateField):
            day = _parse(parse_date, raw)
            if day is not None:
                return date_format(day, "Y-m-d")
        elif isinstance(model_field, models.TimeField):
            moment = _parse(parse_time, raw)
            if moment is not None:
                return date_format(moment, "H:i")
        return self._plain(raw)

    @staticmethod
    def _plain(raw: Any) -> str:
        # Separators in the reader's language: "；" and "：" in Chinese text.
        if isinstance(raw, dict):
            return pgettext("list separator", "; ").join(
                pgettext("key and value", "%(key)s: %(value)s")
                % {"key": key, "value": "—" if value in (None, "", {}, []) else value}
                for key, value in raw.items()
            )
        if isinstance(raw, list):
            return pgettext("list separator", ", ").join(str(item) for item in raw)
        return str(raw)


def _parse(parser, raw: Any):
    if not isinstance(raw, str):
        return raw
    try:
        return parser(raw)
    except ValueError:
        return None


def field_label(model: type[models.Model], name: str) -> str:
    """What a field is called on screen: its verbose name, or a label for
    a field whose model gives none (never the code, "assignment no"). The
    history panel and the admin's export head their columns with it."""
    model_field = _model_field(model, name)
    base = name.removesuffix("_id")
    if model_field is not None and model_field.primary_key:
        return str(FALLBACK_LABELS["id"])
    if model_field is not None and model_field.verbose_name != base.replace("_", " "):
        return str(model_field.verbose_name)
    if base in FALLBACK_LABELS:
        return str(FALLBACK_LABELS[base])
    # consent_callback_at, consent_callback_by: the time and the person of
    # a labelled field's change.
    for suffix, template in (("_at", _("%(field)s: when")), ("_by", _("%(field)s: by whom"))):
        sibling = _model_field(model, base.removesuffix(suffix)) if base.endswith(suffix) else None
        if sibling is not None and sibling.name != base:
            return str(template % {"field": sibling.verbose_name})
    if model_field is not None:
        return str(model_field.verbose_name)
    return base.replace("_", " ")


def _actor_label(context: dict[str, Any], current: dict[int, Any]) -> str:
    """Who made the change, as named at the time, with the login (and staff
    number) that tells them apart from anyone who took the same name."""
    name = context.get("actor_name")
    login = context.get("actor_login")
    staff_no = context.get("actor_staff_no", "")
    user = current.get(context.get("user"))
    if not name and user is not None:
        # Rows written before names were kept: the current name.
        name, login, staff_no = str(user), user.username, user.staff_no
    if not name:
        if context.get("source") == "command":
            return str(_("management command %(name)s") % {"name": context.get("command", "")})
        return str(_("unknown"))
    if login == SYSTEM_USERNAME:
        return str(_("system"))
    if staff_no:
        return str(
            _("%(name)s (%(login)s, staff no. %(staff_no)s)")
            % {"name": name, "login": login, "staff_no": staff_no}
        )
    return str(_("%(name)s (%(login)s)") % {"name": name, "login": login})


def history_for(obj: models.Model, *, limit: int = 100) -> list[HistoryEntry]:
    """The newest `limit` history entries of `obj`, readable."""
    events = list(Events.objects.tracks(obj).order_by("-pgh_created_at")[:limit])
    actor_ids = {
        e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")
    }
    actors = {u.pk: u for u in User.objects.filter(pk__in=actor_ids)}
    renderer = _Renderer(type(obj))
    entries = []
    for event in events:
        context = event.pgh_context or {}
        label = event.pgh_label
        entry = HistoryEntry(
            at=event.pgh_created_at,
            event=str(EVENT_LABELS.get(label, label)),
            actor=_actor_label(context, actors),
            source=str(SOURCE_LABELS.get(context.get("source"), context.get("source") or "—")),
        )
        diff = event.pgh_diff or {}
        if label == "insert":
            diff = {k: [None, v] for k, v in (event.pgh_data or {}).items()}
        for name, (old, new) in diff.items():
            if name in HIDDEN_FIELDS or name.removesuffix("_id") in HIDDEN_FIELDS:
                continue
            model_field = _model_field(type(obj), name)
            old_text = renderer.value(model_field, old, name)
            new_text = renderer.value(model_field, new, name)
            if label == "insert" and new_text == "—":
                continue  # an empty field of a new record says nothing
            entry.changes.append(
                Change(label=field_label(type(obj), name), old=old_text, new=new_text)
            )
        entries.append(entry)
    return entries
