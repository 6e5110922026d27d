"""Goods release passes (放行条): request, approve or refuse, use at the
exit (once)."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.models import ReferenceCounter, ReleasePass
from desk.permissions import DECIDE_RELEASEPASS, USE_RELEASEPASS
from desk.services.references import reference_next
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall, Unit
from mallservice.workflow import locked

# No 0/O, 1/I/L: read aloud or typed on a phone at the exit.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def pass_request(
    *,
    actor: Any,
    mall: Mall,
    unit: Unit,
    contact_name: str,
    items: str,
    quantity: int,
    valid_from: datetime.datetime,
    valid_until: datetime.datetime,
    vehicle: str = "",
    now: datetime.datetime | None = None,
) -> ReleasePass:
    """Record a shop's request with the next FX- reference and a fresh
    check code (a rare clash of codes draws another)."""
    now = now or timezone.now()
    require_same_mall(mall, unit, field="unit")
    if valid_until <= now:
        raise field_error("valid_until", _("This time has already passed."), "past")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                release = ReleasePass(
                    mall=mall,
                    unit=unit,
                    contact_name=contact_name.strip(),
                    items=items.strip(),
                    quantity=quantity,
                    vehicle=vehicle.strip().upper(),
                    valid_from=valid_from,
                    valid_until=valid_until,
                    recorded_by=actor,
                    created_at=now,
                    code=_new_code(),
                )
                release.reference = reference_next(
                    mall=mall,
                    series=ReferenceCounter.Series.RELEASE_PASS,
                    year=local_date(now).year,
                )
                release.full_clean(exclude=["code"])
                release.save()
                return release
        except IntegrityError:
            continue
    raise ValidationError(_("Please try again."), code="code_clash")


@transaction.atomic
def pass_decide(
    *,
    actor: Any,
    release: ReleasePass,
    approve: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> ReleasePass:
    """The desk's decision; a refusal needs its reason."""
    if not actor.has_perm(DECIDE_RELEASEPASS):
        raise PermissionDenied
    release = locked(release)
    release.transition_to(ReleasePass.Status.APPROVED if approve else ReleasePass.Status.REFUSED)
    release.refusal_reason = "" if approve else reason.strip()
    release.decided_by = actor
    release.decided_at = now or timezone.now()
    release.full_clean()
    release.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    return release


EXIT_REFUSALS = {
    "requested": _("This pass is not approved yet: the goods may not leave."),
    "refused": _("This pass was refused: the goods may not leave."),
    "used": _("This pass was already used."),
    "expired": _("This pass has expired: the goods may not leave."),
    "not_yet": _("This pass is not valid yet."),
}


@transaction.atomic
def pass_use(
    *, actor: Any, release: ReleasePass, now: datetime.datetime | None = None
) -> ReleasePass:
    """Security lets the goods out: an approved pass inside its window is
    marked used, once (the row is locked: two guards cannot both use it)."""
    if not actor.has_perm(USE_RELEASEPASS):
        raise PermissionDenied
    now = now or timezone.now()
    release = locked(release)
    state = release.exit_state(now)
    if state != "valid":
        raise ValidationError(EXIT_REFUSALS[state], code=state)
    release.transition_to(ReleasePass.Status.USED)
    release.used_at = now
    release.used_by = actor
    release.save(update_fields=["status", "used_at", "used_by"])
    return release
