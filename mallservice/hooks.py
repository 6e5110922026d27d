"""Find an optional hook module (`<app>/<name>.py`) in every project app.

The apps plug into shared pages (menu, home, search, dashboard, demo data)
by defining a module of a known name; a missing module means the app has
nothing to add, any other import error is a bug and is raised."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
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


class StaffingHook(Protocol):
    """Who is on duty: the ids of the staff rostered at `mall` on `day`
    (published roster, approved leave excluded); an empty set when a
    published roster says nobody is. The rosters app provides it."""

    def rostered(self, *, mall: Any, day: datetime.date) -> set[int] | None: ...


@dataclass(frozen=True)
class MemberLink:
    """One record of another app shown on the member page."""

    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class MemberLinkPanel:
    """Another app's records of one member, a panel of the member page."""

    title: str
    links: list[MemberLink] = field(default_factory=list)
    testid: str = ""


class MemberLinksHook(Protocol):
    """Other apps' records that name a member (the members app imports no
    app that points at it): `merge` moves them from a merged duplicate to
    the survivor inside the merge's transaction and returns counts for the
    merge's snapshot (`{"complaints_moved": 2}`); `panels` lists them on the
    member page for `user` (empty when the user may not see them)."""

    def merge(self, *, absorbed: Any, survivor: Any) -> dict[str, int]: ...

    def panels(self, *, user: Any, member: Any) -> list[MemberLinkPanel]: ...


class ContactsHook(Protocol):
    """Consent and do-not-contact (the members app keeps them): why a
    message of `category` may not go to `recipient` on `channel` (a short
    English code such as "do_not_contact"), or "" when it may."""

    def refusal(self, *, channel: str, recipient: str, category: str, mall_id: int) -> str: ...


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
    "staffing": StaffingHook,
    "member_links": MemberLinksHook,
    "contacts": ContactsHook,
}


def mall_setup_run(*, mall: Any) -> None:
    """Give a new mall every app's defaults (`<app>/mall_setup.py`)."""
    for module in app_hook_modules("mall_setup"):
        module.setup(mall=mall)


def staffing_rostered(*, mall: Any, day: datetime.date) -> set[int] | None:
    """The ids of the staff on duty at `mall` on `day` by the roster
    (`<app>/staffing.py`), or None when no app keeps a roster for that mall
    and day (no staffing module, or no published roster covering it)."""
    for module in app_hook_modules("staffing"):
        rostered = module.rostered(mall=mall, day=day)
        if rostered is not None:
            return set(rostered)
    return None


def member_links_merge(*, absorbed: Any, survivor: Any) -> dict[str, int]:
    """Move every app's records of a merged duplicate to the survivor."""
    moved: dict[str, int] = {}
    for module in app_hook_modules("member_links"):
        moved.update(module.merge(absorbed=absorbed, survivor=survivor))
    return moved


def member_link_panels(*, user: Any, member: Any) -> list[MemberLinkPanel]:
    """Every app's panels of one member's records, for the member page."""
    return [
        panel
        for module in app_hook_modules("member_links")
        for panel in module.panels(user=user, member=member)
    ]


def contact_refusal(*, channel: str, recipient: str, category: str, mall_id: int) -> str:
    """The first app's refusal to contact `recipient` (`<app>/contacts.py`),
    or "" when none refuses."""
    for module in app_hook_modules("contacts"):
        refusal = module.refusal(
            channel=channel, recipient=recipient, category=category, mall_id=mall_id
        )
        if refusal:
            return refusal
    return ""
