"""Today's work on the home page. An app contributes by defining
`today(user) -> list[TodayItem]` in `<app>/home.py`; the items are scoped by
the app's own selectors."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class TodayItem:
    label: str
    count: int
    url: str
    urgent: bool = False


def today_items(user: Any) -> list[TodayItem]:
    items: list[TodayItem] = []
    for app_label in settings.PROJECT_APPS:
        if app_label == "mallservice":
            continue
        try:
            module = importlib.import_module(f"{app_label}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_label}.home":
                raise
            continue
        items.extend(module.today(user))
    return items
