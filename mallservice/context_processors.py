from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mallservice.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_menu": menu_for(request.user)}
