"""A new mall starts with its register settings and the default walk-in
service categories (edited in the admin)."""

from __future__ import annotations

from typing import Any

from desk.services.settings import desk_settings_ensure
from desk.services.walkins import walkin_categories_ensure


def setup(*, mall: Any) -> None:
    desk_settings_ensure(mall=mall)
    walkin_categories_ensure(mall=mall)
