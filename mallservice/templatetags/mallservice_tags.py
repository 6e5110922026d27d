from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from mallservice.masking import mask_phone as _mask_phone
from mallservice.navigation import menu_html

register = template.Library()


@register.filter
def mask_phone(value: str | None) -> str:
    return _mask_phone(value)


@register.filter
def history_visible_to(obj: Model, user) -> bool:
    """`{% if object|history_visible_to:request.user %}`: the history panel's
    own permission, so the loader appears only where the panel answers."""
    from mallservice.history import history_visible

    return history_visible(user, obj)


@register.filter
def staff_label(user) -> str:
    """A staff member as timelines show them: the name with the login, so
    two people of the same name (or a copied name) are told apart."""
    if user is None or not getattr(user, "username", ""):
        return ""
    name = str(user)
    if name == user.username:
        return name
    return gettext("%(name)s (%(login)s)") % {"name": name, "login": user.username}


@register.filter
def app_label(obj: Model) -> str:
    return obj._meta.app_label


@register.filter
def model_name(obj: Model) -> str:
    return obj._meta.model_name


@register.simple_tag(takes_context=True)
def page_query(context, number: int) -> str:
    """The current list's query string (its filters) for page `number`."""
    params = context["request"].GET.copy()
    params["page"] = number
    return params.urlencode()


@register.simple_tag(takes_context=True)
def query_with(context, **changes: Any) -> str:
    """The current list's query string with `changes` (a tab or a toggle
    link): the other filters stay, an empty value removes its parameter,
    the page number goes (page 1 of the new list).
    `href="?{% query_with view="nearing" %}"`."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def nav_menu(context) -> SafeString:
    """The menu bar's links for the logged-in user (see `menu_html`)."""
    request = context["request"]
    return menu_html(request.user, request.path)


@register.inclusion_tag("components/_badge.html")
def status_badge(obj: Model, field: str = "status", testid: str = "") -> dict[str, Any]:
    """`{% status_badge complaint %}`: the choice label of `obj.<field>` in a
    Bootstrap badge whose colour the model names in
    `BADGE_LEVELS = {value: "success" | "warning" | "danger" | "info" |
    "primary"}` (default "secondary"), so a status looks the same on every
    page. `field` names another choice field (`"state"`)."""
    value = getattr(obj, field)
    levels = getattr(type(obj), "BADGE_LEVELS", {})
    return {
        "label": getattr(obj, f"get_{field}_display")(),
        "level": levels.get(value, "secondary"),
        "testid": testid,
    }


@register.inclusion_tag("components/_badge.html")
def badge(label: str, level: str = "secondary", testid: str = "") -> dict[str, Any]:
    """`{% badge _("on leave") "warning" %}`: a free-text badge."""
    return {"label": label, "level": level, "testid": testid}
