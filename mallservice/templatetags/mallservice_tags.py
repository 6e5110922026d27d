from __future__ import annotations

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
def nav_menu(context) -> SafeString:
    """The menu bar's links for the logged-in user (see `menu_html`)."""
    request = context["request"]
    return menu_html(request.user, request.path)
