"""The write guards every service uses: an error that names its field, and
"this belongs to the same mall". A service raises them; the desk view kit
(`mallservice.views`) shows them next to the field, or as the page's error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def field_error(field: str, message: Any, code: str) -> ValidationError:
    """A rule broken by one field: shown next to that field, keeping its
    code (a dict given to ValidationError drops the `code` argument)."""
    return ValidationError({field: ValidationError(message, code=code)})


def require_same_mall(mall: Any, *objs: Any, field: str | None = None) -> None:
    """Refuse when any of `objs` (records with a `mall_id`, None skipped)
    belongs to another mall than `mall` (a Mall or its id): a form posted
    with another mall's shop, staff member or card. With `field`, the error
    is shown next to that field."""
    mall_id = getattr(mall, "pk", mall)
    for obj in objs:
        if obj is not None and obj.mall_id != mall_id:
            message = _("This belongs to another mall.")
            if field:
                raise field_error(field, message, "other_mall")
            raise ValidationError(message, code="other_mall")
