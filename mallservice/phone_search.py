"""Searching by a full mobile number (the header search, the member search).

A search that jumps to the record of an exact number is a way to learn
masked digits: with the first three and last four shown, the 10,000
possible middles were tried in 157 searches. So every full-number search is
written to the sensitive-access log, and a user may make at most
`PHONE_SEARCH_LIMIT` of them in `PHONE_SEARCH_WINDOW_SECONDS` (10 in 10
minutes unless settings say otherwise). The log itself is the counter: it
lives in PostgreSQL, so the limit holds when Redis is down."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.masking import mask_phone
from mallservice.models import SensitiveAccess, User
from mallservice.services import sensitive_access_log
from mallservice.validators import normalise_mobile

# The `field` of the log rows this module writes (kind "reveal").
LOG_FIELD = "phone_search"
LIMITED_MESSAGE = _(
    "Too many searches by a full mobile number: try again in a few minutes, "
    "or search by the last four digits."
)


def limits() -> tuple[int, int]:
    """(searches allowed, window in seconds)."""
    return (
        int(getattr(settings, "PHONE_SEARCH_LIMIT", 10)),
        int(getattr(settings, "PHONE_SEARCH_WINDOW_SECONDS", 600)),
    )


def full_number(query: str) -> str | None:
    """The mainland mobile number `query` is, if it is one."""
    try:
        return normalise_mobile(query)
    except ValidationError:
        return None


def number_digest(number: str) -> str:
    """A keyed hash of the number: an auditor holding a number can find the
    searches for it, while the log never shows it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:32]


def full_number_search_allow(
    *, user: Any, number: str, where: str, ip: str | None, now: datetime.datetime | None = None
) -> bool:
    """Whether `user` may search by the full `number` now. Side effect: an
    allowed search is written to the sensitive-access log (kind "reveal",
    field "phone_search", the number masked and hashed); a refused one is
    not (it showed nothing)."""
    allowed, window = limits()
    since = (now or timezone.now()) - datetime.timedelta(seconds=window)
    with transaction.atomic():
        # One user's searches are counted one at a time: a burst of parallel
        # requests cannot all read the same count.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = SensitiveAccess.objects.filter(
            actor=user, field=LOG_FIELD, kind=SensitiveAccess.Kind.REVEAL, at__gte=since
        ).count()
        if recent >= allowed:
            return False
        sensitive_access_log(
            actor=user,
            kind="reveal",
            field=LOG_FIELD,
            mall=getattr(user, "mall", None),
            detail={"where": where, "number": mask_phone(number), "digest": number_digest(number)},
            ip=ip,
        )
    return True
