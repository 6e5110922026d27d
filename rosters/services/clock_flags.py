"""Flagging PIN punches from unknown devices or addresses, and the
supervisor's weekly review of the flags."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mallservice.models import User
from mallservice.workflow import locked
from rosters import permissions as perms
from rosters.models import ClockEvent, ClockFlag
from rosters.services.rules import require, require_permission, require_staff_of, resolve_now

# "Not seen for that mall's shared screen in the last 30 days".
KNOWN_FOR = datetime.timedelta(days=30)


def clock_flag_check(*, event: ClockEvent) -> ClockFlag | None:
    """Flag `event`, a PIN punch, when its device cookie or its address has
    not punched at this mall in the last 30 days. A punch counts as seen
    only if it was not itself flagged, or its flag was cleared: a phone that
    punched once unnoticed does not become known by punching again."""
    if event.via != ClockEvent.Via.PIN:
        return None
    seen = (
        ClockEvent.objects.filter(
            mall_id=event.mall_id,
            via=ClockEvent.Via.PIN,
            at__gte=event.at - KNOWN_FOR,
            at__lte=event.at,
        )
        .exclude(pk=event.pk)
        .exclude(flag__state__in=[ClockFlag.State.OPEN, ClockFlag.State.CONCERN])
    )
    new_device = not event.device or not seen.filter(device=event.device).exists()
    new_address = not event.ip or not seen.filter(ip=event.ip).exists()
    if not (new_device or new_address):
        return None
    return ClockFlag.objects.create(
        mall_id=event.mall_id,
        clock_event=event,
        staff_id=event.staff_id,
        new_device=new_device,
        new_address=new_address,
    )


@transaction.atomic
def clock_flag_review(
    *,
    actor: User,
    flag: ClockFlag,
    state: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ClockFlag:
    """The supervisor's weekly review: the punch looks right (`cleared`: the
    device and address count as known from then on) or needs following up
    (`concern`)."""
    require_permission(actor, perms.REVIEW_CLOCKFLAG)
    require(
        state in (ClockFlag.State.CLEARED, ClockFlag.State.CONCERN),
        _("Choose looks right or follow up."),
        "invalid_state",
    )
    flag = locked(flag)
    require_staff_of(actor, flag.mall)
    require(actor.pk != flag.staff_id, _("You cannot review your own clock-in."), "own")
    flag.transition_to(state)
    flag.reviewed_by = actor
    flag.reviewed_at = resolve_now(now)
    flag.review_note = note
    flag.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    return flag
