"""Test helpers every app reuses.

The permission matrix: one parametrised test per app lists
role × URL × own mall / other mall → expected status, and
`check_permission_case` runs one row of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client

OWN = "own"
OTHER = "other"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class PermissionCase:
    """One row of a permission matrix.

    `url` receives the world dict (the fixture `permission_world`: malls,
    users and whatever the app's fixture adds) and the mall side, and returns
    the URL to request."""

    role: str
    url: Callable[[dict[str, Any], str], str]
    side: str
    expected: int
    method: str = "get"
    data: dict[str, Any] | None = None

    def __str__(self) -> str:
        return f"{self.role}-{self.side}-{self.method}-{self.expected}"


def check_permission_case(client: Client, world: dict[str, Any], case: PermissionCase) -> None:
    if case.role != ANONYMOUS:
        client.force_login(world["users"][case.role])
    url = case.url(world, case.side)
    response = getattr(client, case.method)(url, data=case.data or {})
    assert response.status_code == case.expected, (
        f"{case.role} {case.method.upper()} {url} ({case.side} mall): "
        f"expected {case.expected}, got {response.status_code}"
    )


def in_chinese(text: str) -> str:
    """The zh-hans translation of `text`, to find a figure by its label."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.gettext(text)


def dashboard_figures(client: Client, user: Any) -> dict[str, Any]:
    """Every figure of `user`'s dashboard, by label (as the page shows it)."""
    from django.urls import reverse

    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return {
        figure.label: figure
        for column in response.context["columns"]
        for panel in column["panels"]
        for figure in panel.figures
    }
