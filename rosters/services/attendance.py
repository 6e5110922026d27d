"""Clock-in PINs and punches (上班打卡 / 下班打卡)."""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from rosters import permissions as perms
from rosters.models import (
    ClockEvent,
    ClockPin,
)
from rosters.selectors.roster import staff_of_mall
from rosters.services.clock_flags import clock_flag_check
from rosters.services.rules import (
    require,
    resolve_now,
)


@transaction.atomic
def clock_pin_set(*, actor: User, staff: User, mall: Mall, pin: str) -> ClockPin:
    """Set the PIN `staff` types on the shared desk screen (4–8 digits)."""
    require(pin.isdigit() and 4 <= len(pin) <= 8, _("A PIN is 4 to 8 digits."), "pin_format", "pin")
    require(
        actor.pk == staff.pk or actor.has_perm(perms.CHANGE_CLOCKPIN),
        _("Not allowed."),
        "forbidden",
    )
    record, _created = ClockPin.objects.select_for_update().get_or_create(
        staff=staff, defaults={"mall": mall, "pin_hash": make_password(pin)}
    )
    if not _created:
        record.pin_hash = make_password(pin)
        record.save(update_fields=["pin_hash"])
    return record


@transaction.atomic
def clock_record(
    *,
    staff: User,
    mall: Mall,
    kind: str,
    via: str = ClockEvent.Via.LOGIN,
    ip: str | None = None,
    device: str = "",
    now: datetime.datetime | None = None,
) -> ClockEvent:
    """上班打卡 / 下班打卡. In and out alternate; a forgotten clock-out is
    left missing (and flagged by attendance), never filled in here."""
    now = resolve_now(now)
    # Lock the person: two taps at once must not give two clock-ins.
    User.objects.select_for_update().get(pk=staff.pk)
    last = ClockEvent.objects.filter(staff=staff).order_by("-at", "-pk").first()
    clocked_in = (
        last is not None
        and last.kind == ClockEvent.Kind.IN
        and now - last.at < datetime.timedelta(hours=16)
    )
    if kind == ClockEvent.Kind.IN:
        require(not clocked_in, _("You are already clocked in."), "already_in")
    else:
        require(clocked_in, _("You are not clocked in."), "not_in")
    return ClockEvent.objects.create(
        mall=mall, staff=staff, kind=kind, at=now, via=via, ip=ip, device=device
    )


# A 4-digit PIN on a shared screen falls to guessing without a limit: after
# this many wrong PINs for one person (whether typed with their staff number
# or their login name) their PIN is locked for a while. The count is on the
# person's PIN row, taken under its row lock, so a burst of guesses sent at
# once is counted one by one and cannot slip an extra try past the limit.
PIN_FAILURE_LIMIT = 5
PIN_LOCK_SECONDS = 15 * 60


def _bad_pin() -> ValidationError:
    return ValidationError(_("Unknown staff number or wrong PIN."), code="bad_pin")


def clock_record_by_pin(
    *,
    mall: Mall,
    username: str,
    pin: str,
    kind: str,
    ip: str | None = None,
    device: str = "",
    now: datetime.datetime | None = None,
) -> ClockEvent:
    """Clock in or out on the shared screen with a staff number (or login
    name) and PIN. After PIN_FAILURE_LIMIT wrong PINs within
    PIN_LOCK_SECONDS of each other the person's PIN is refused until
    PIN_LOCK_SECONDS after the last one; the count is written to their
    ClockPin row (and so to its history). A punch from a device or address
    not seen at the mall lately is flagged for the supervisor's review."""
    now = resolve_now(now)
    staff = (
        staff_of_mall(mall)
        .filter(Q(username=username) | Q(staff_no=username))
        .exclude(staff_no="", username="")
        .first()
    )
    if staff is None:
        raise _bad_pin()
    with transaction.atomic():
        record = ClockPin.objects.select_for_update().filter(staff=staff).first()
        if record is None:
            raise _bad_pin()
        recent = record.pin_failed_at is not None and now - record.pin_failed_at < (
            datetime.timedelta(seconds=PIN_LOCK_SECONDS)
        )
        failures = record.pin_failures if recent else 0
        locked = failures >= PIN_FAILURE_LIMIT
        accepted = not locked and check_password(pin, record.pin_hash)
        if not locked and not accepted:
            # Committed before the refusal is raised, outside this block.
            record.pin_failures = failures + 1
            record.pin_failed_at = now
            record.save(update_fields=["pin_failures", "pin_failed_at"])
        elif accepted and record.pin_failures:
            record.pin_failures = 0
            record.save(update_fields=["pin_failures"])
    if locked:
        raise ValidationError(
            _(
                "Too many wrong PINs for this staff number. Wait 15 minutes or log in with your own account."
            ),
            code="pin_locked",
        )
    if not accepted:
        raise _bad_pin()
    with transaction.atomic():
        event = clock_record(
            staff=staff, mall=mall, kind=kind, via=ClockEvent.Via.PIN, ip=ip, device=device, now=now
        )
        clock_flag_check(event=event)
    return event
