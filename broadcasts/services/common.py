"""What every broadcast-room service shares: the permission check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mallservice.models import User


def require_perm(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise ValidationError(_("You may not do this."), code="not_allowed")
