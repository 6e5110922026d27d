"""The navigation menu, by permission. Each app declares its entries as
`MENU = [MenuEntry(label, url_name, icon, permission)]` in
`<app>/navigation.py`, `permission` the one its page requires (a constant of
the app's `permissions.py`); an entry shows when the user holds it. An app with several visible entries becomes one
dropdown named after the app, so the bar fits a 1366-pixel desk screen."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mallservice.access import user_access
from mallservice.hooks import app_hook_modules
from mallservice.permissions import VIEW_CALENDAR, VIEW_DASHBOARD, VIEW_MESSAGE


@dataclass(frozen=True)
class MenuEntry:
    label: Promise
    url_name: str
    icon: str
    permission: str | None  # None: every signed-in user


HOME = MenuEntry(_("Home"), "home", "house", None)
DASHBOARD = MenuEntry(_("Dashboard"), "dashboard", "speedometer2", VIEW_DASHBOARD)
CALENDAR = MenuEntry(_("Working calendar"), "calendar", "calendar3", VIEW_CALENDAR)
# The outbox: messages that did not arrive, and the console channel.
MESSAGES = MenuEntry(_("Messages"), "notifications:problems", "envelope-exclamation", VIEW_MESSAGE)


@cache
def all_groups() -> tuple[tuple[Promise | None, tuple[MenuEntry, ...]], ...]:
    """(app name, its entries) in PROJECT_APPS order; Home, Dashboard, the
    working calendar and Messages first."""
    groups: list[tuple[Promise | None, tuple[MenuEntry, ...]]] = [
        (None, (HOME, DASHBOARD, CALENDAR, MESSAGES))
    ]
    for module in app_hook_modules("navigation"):
        app_label = module.__name__.split(".")[0]
        groups.append((apps.get_app_config(app_label).verbose_name, tuple(module.MENU)))
    return tuple(groups)


def _link(entry: MenuEntry) -> dict[str, Any]:
    return {"label": entry.label, "url": reverse(entry.url_name), "icon": entry.icon}


def menu_for(user: Any) -> list[dict[str, Any]]:
    """Links and dropdowns (`children`) the user may open."""
    if not getattr(user, "is_authenticated", False):
        return []
    return _menu(*_menu_key(user))


def menu_html(user: Any, path: str) -> SafeString:
    """The menu bar's links as HTML, the one at `path` marked active. The
    same few role sets, two languages and the menu's own pages make a small
    set of distinct bars: each is rendered once per process, not on every
    page (the loop over some thirty links was a third of a page's layout)."""
    key = _menu_key(user)
    urls = {link["url"] for link in flat_links(_menu(*key))}
    return _menu_html(key, get_language(), path if path in urls else "")


def _menu_key(user: Any) -> tuple[frozenset[str], bool, bool]:
    return user_access(user).permissions, user.is_superuser, user.is_staff


@lru_cache(maxsize=256)
def _menu_html(key: tuple[frozenset[str], bool, bool], language: str, active: str) -> SafeString:
    # `language` is part of the key: the labels are translated as it renders.
    return render_to_string(
        "components/_nav_menu.html", {"nav_menu": _menu(*key), "active": active}
    )


@lru_cache(maxsize=64)
def _menu(permissions: frozenset[str], is_superuser: bool, is_staff: bool) -> list[dict[str, Any]]:
    """The menu of a set of permissions, built once per process: the same
    few sets (one a role combination) serve every request. Labels stay
    lazy, translated when the page renders."""
    menu: list[dict[str, Any]] = []
    for name, entries in all_groups():
        visible = [
            _link(e)
            for e in entries
            if is_superuser or e.permission is None or e.permission in permissions
        ]
        if name is None or len(visible) == 1:
            menu.extend(visible)
        elif visible:
            menu.append({"label": name, "icon": visible[0]["icon"], "children": visible})
    if is_staff:
        menu.append({"label": _("Administration"), "url": reverse("admin:index"), "icon": "gear"})
    return menu


def flat_links(menu: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [link for item in menu for link in item.get("children", [item])]
