"""The checks every rosters service shares: the acting moment, a broken
rule as a ValidationError with its code (next to its field when it names
one), the permission a step needs, and "you work at this mall"."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.guards import field_error
from mallservice.models import Mall, User
from mallservice.selectors import user_mall_ids


def resolve_now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def require(condition: bool, message: str, code: str, field: str | None = None) -> None:
    if not condition:
        raise field_error(field, message, code) if field else ValidationError(message, code=code)


def require_permission(actor: User, permission: str) -> None:
    """A supervisor's step (approve, plan, inspect): the permission decides,
    as it does for the page (`rosters.permissions`)."""
    if not actor.has_perm(permission):
        raise ValidationError(_("Only a supervisor may do this."), code="not_supervisor")


def require_staff_of(actor: User, mall: Mall) -> None:
    require(mall.pk in user_mall_ids(actor), _("You do not work at this mall."), "wrong_mall")
