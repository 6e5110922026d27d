"""Today's work on the home page. An app contributes by defining
`today(user) -> list[TodayItem]` in `<app>/home.py`; the items are scoped by
the app's own selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mallservice.hooks import app_hook_modules


@dataclass(frozen=True)
class TodayItem:
    label: str
    count: int
    url: str
    urgent: bool = False


def today_items(user: Any) -> list[TodayItem]:
    items: list[TodayItem] = []
    for module in app_hook_modules("home"):
        items.extend(module.today(user))
    return items
