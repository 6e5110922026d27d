from __future__ import annotations

from django import template
from django.db.models import Model
from django.utils.safestring import SafeString

from mallservice.masking import mask_phone as _mask_phone
from mallservice.navigation import menu_html

register = template.Library()


@register.filter
def mask_phone(value: str | None) -> str:
    return _mask_phone(value)


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
