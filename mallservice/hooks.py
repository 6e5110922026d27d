"""Find an optional hook module (`<app>/<name>.py`) in every project app.

The apps plug into shared pages (menu, home, search, dashboard, demo data)
by defining a module of a known name; a missing module means the app has
nothing to add, any other import error is a bug and is raised."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.conf import settings


def app_hook_modules(name: str, *, include_core: bool = False) -> Iterator[ModuleType]:
    for app_label in settings.PROJECT_APPS:
        if app_label == "mallservice" and not include_core:
            continue
        dotted = f"{app_label}.{name}"
        try:
            yield importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
