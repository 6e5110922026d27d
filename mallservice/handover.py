"""Shift handover (交接班): the checklist of everything still open that the
outgoing staff member or their post owns, collected from the apps.

Each app contributes in `<app>/handover.py`:

    def open_items(*, user, mall, now) -> list[HandoverItem]

using its own scoped selectors (counts only, one query an item). `label`
is an English msgid marked with `gettext_noop`: the checklist is stored as
a snapshot with the handover and translated when it is read, so it shows
in the reader's language (codes, not translated text, in the database).

The members (callbacks due), mailroom (parcels waiting, found items, items
lent out) and broadcasts (announcements pending) apps join the checklist by
adding their own `handover.py`; nothing here or in `rosters` changes."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext

from mallservice.hooks import app_hook_modules
from mallservice.models import Mall


@dataclass(frozen=True)
class HandoverItem:
    kind: str  # stable code, e.g. "complaints.overdue"
    label: str  # gettext_noop msgid, translated on display
    count: int
    url: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HandoverItem:
        return cls(
            kind=str(data.get("kind", "")),
            label=str(data.get("label", "")),
            count=int(data.get("count") or 0),
            url=str(data.get("url", "")),
        )

    @property
    def display_label(self) -> str:
        return gettext(self.label)


def open_items(*, user: Any, mall: Mall, now: datetime.datetime) -> list[HandoverItem]:
    """Every app's open items for `user` at `mall`; items with nothing open
    are left out so the checklist is what needs doing."""
    items: list[HandoverItem] = []
    for module in app_hook_modules("handover"):
        items.extend(module.open_items(user=user, mall=mall, now=now))
    return [item for item in items if item.count]
