"""Shift handovers (交接班)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from rosters.models import (
    Handover,
    Post,
)
from rosters.services.rules import (
    require,
    require_staff_of,
    resolve_now,
)


@transaction.atomic
def handover_create(
    *,
    actor: User,
    mall: Mall,
    post: Post,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Handover:
    """The outgoing staff member hands over their post: the checklist of
    everything still open that they or the post own is generated from every
    app's `handover.py` and stored as a snapshot with the note."""
    from mallservice.handover import open_items

    now = resolve_now(now)
    require_staff_of(actor, mall)
    require(post.mall_id == mall.pk, _("Wrong mall."), "mall", "post")
    items = open_items(user=actor, mall=mall, now=now)
    handover = Handover(
        mall=mall,
        post=post,
        outgoing_staff=actor,
        items=[item.as_json() for item in items],
        note=note.strip(),
        created_at=now,
    )
    handover.full_clean()
    handover.save()
    return handover


@transaction.atomic
def handover_acknowledge(
    *, actor: User, handover: Handover, now: datetime.datetime | None = None
) -> Handover:
    """The incoming staff member takes over: who and when are recorded, once.
    The row is locked so two colleagues cannot both take the same handover."""
    now = resolve_now(now)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    require_staff_of(actor, handover.mall)
    require(handover.acknowledged_at is None, _("Already taken over."), "acknowledged")
    require(
        actor.pk != handover.outgoing_staff_id,
        _("The incoming colleague acknowledges a handover, not the one handing over."),
        "own_handover",
    )
    handover.incoming_staff = actor
    handover.acknowledged_at = now
    handover.save(update_fields=["incoming_staff", "acknowledged_at"])
    return handover
