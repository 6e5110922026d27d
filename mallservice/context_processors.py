from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mallservice.navigation import flat_links, menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    menu = menu_for(request.user)
    return {"nav_menu": menu, "nav_links": flat_links(menu)}
