"""The navigation menu, by role. Each app declares its entries as
`MENU = [MenuEntry(...)]` in `<app>/navigation.py`; an entry shows when the
user has any of its roles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mallservice.hooks import app_hook_modules
from mallservice.roles import Role, has_role


@dataclass(frozen=True)
class MenuEntry:
    label: Promise
    url_name: str
    icon: str
    roles: tuple[str, ...]


ALL_ROLES = tuple(role.value for role in Role)

HOME = MenuEntry(_("Home"), "home", "house", ALL_ROLES)
DASHBOARD = MenuEntry(_("Dashboard"), "dashboard", "speedometer2", (Role.SUPERVISOR, Role.MANAGER))


@cache
def all_entries() -> tuple[MenuEntry, ...]:
    entries = [HOME, DASHBOARD]
    for module in app_hook_modules("navigation"):
        entries.extend(module.MENU)
    return tuple(entries)


def menu_for(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    entries = []
    for entry in all_entries():
        if not has_role(user, *entry.roles):
            continue
        entries.append({"label": entry.label, "url": reverse(entry.url_name), "icon": entry.icon})
    if user.is_staff:
        entries.append(
            {"label": _("Administration"), "url": reverse("admin:index"), "icon": "gear"}
        )
    return entries
