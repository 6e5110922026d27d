"""Find an optional hook module (`<app>/<name>.py`) in every project app.

The apps plug into shared pages (menu, home, search, dashboard, demo data)
by defining a module of a known name; a missing module means the app has
nothing to add, any other import error is a bug and is raised."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any, Protocol

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


# The hook modules an app may define, each with the names it must declare.
# `mallservice/tests/test_hooks.py` checks every app's modules against these:
# a missing function, or one whose keyword arguments differ from the
# protocol's, fails there instead of on the page that calls it.


class PermissionsHook(Protocol):
    ROLE_PERMISSIONS: dict[str, list[str]]


class NavigationHook(Protocol):
    MENU: list[Any]  # mallservice.navigation.MenuEntry


class HomeHook(Protocol):
    def today(self, user: Any) -> list[Any]: ...  # mallservice.home.TodayItem


class SearchHook(Protocol):
    def search(self, user: Any, query: str) -> list[Any]: ...  # mallservice.search.SearchHit


class DashboardHook(Protocol):
    def panels(self, *, user: Any, malls: list[Any], now: datetime.datetime) -> list[Any]: ...


class DailyHook(Protocol):
    def section(self, *, mall: Any, start: datetime.datetime, end: datetime.datetime) -> Any: ...


class HandoverHook(Protocol):
    def open_items(self, *, user: Any, mall: Any, now: datetime.datetime) -> list[Any]: ...


class DemoHook(Protocol):
    def seed(self, *, malls: list[Any], staff: Any, rng: Any, now: datetime.datetime) -> None: ...


class ScheduleHook(Protocol):
    BEAT_SCHEDULE: dict[str, dict[str, Any]]


class MallSetupHook(Protocol):
    """What a new mall starts with (desk defaults): called once when the
    mall is created, in the same transaction."""

    def setup(self, *, mall: Any) -> None: ...


HOOKS: dict[str, type] = {
    "permissions": PermissionsHook,
    "navigation": NavigationHook,
    "home": HomeHook,
    "search": SearchHook,
    "dashboard": DashboardHook,
    "daily": DailyHook,
    "handover": HandoverHook,
    "demo": DemoHook,
    "schedule": ScheduleHook,
    "mall_setup": MallSetupHook,
}


def mall_setup_run(*, mall: Any) -> None:
    """Give a new mall every app's defaults (`<app>/mall_setup.py`)."""
    for module in app_hook_modules("mall_setup"):
        module.setup(mall=mall)
