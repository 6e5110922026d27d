"""The routine daily schedule (日常播音): its slots, the day's airings, the
broadcaster's "aired" and the dispatcher that flags missed ones."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadcasts.models import (
    AnnouncementKind,
    RoutineAiring,
    RoutineSlot,
    ScriptTemplate,
    render_script,
)
from broadcasts.permissions import ADD_ROUTINESLOT, AIR_ANNOUNCEMENT
from broadcasts.services.common import require_perm
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall, User


def routine_grace_minutes() -> int:
    """Minutes a routine broadcast may run late before it is flagged missed."""
    return int(getattr(settings, "BROADCASTS_ROUTINE_GRACE_MINUTES", 10))


@transaction.atomic
def routine_slot_save(
    *,
    actor: User,
    mall: Mall,
    template: ScriptTemplate,
    at: datetime.time,
    is_active: bool = True,
    slot: RoutineSlot | None = None,
) -> RoutineSlot:
    require_perm(actor, ADD_ROUTINESLOT)
    require_same_mall(mall, template)
    if template.kind != AnnouncementKind.ROUTINE:
        raise field_error("template", _("Choose a routine template."), "not_routine")
    slot = RoutineSlot(mall=mall) if slot is None else RoutineSlot.objects.get(pk=slot.pk)
    slot.template, slot.at, slot.is_active = template, at, is_active
    slot.full_clean()
    slot.save()
    return slot


def routine_airings_ensure(*, day: datetime.date, malls: Iterable[Mall] | None = None) -> int:
    """Create the day's routine airings from the active slots (idempotent:
    the (slot, day) unique constraint ignores ones that exist)."""
    slots = RoutineSlot.objects.filter(is_active=True, template__is_active=True).select_related(
        "template"
    )
    if malls is not None:
        slots = slots.filter(mall__in=list(malls))
    rows = []
    tz = timezone.get_current_timezone()
    for slot in slots:
        rows.append(
            RoutineAiring(
                mall_id=slot.mall_id,
                slot=slot,
                day=day,
                due_at=datetime.datetime.combine(day, slot.at, tzinfo=tz),
                script=render_script(slot.template.body, {"time_text": f"{slot.at:%H:%M}"}),
            )
        )
    created = RoutineAiring.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


@transaction.atomic
def routine_airing_mark_aired(
    *, actor: User, airing: RoutineAiring, now: datetime.datetime | None = None
) -> RoutineAiring:
    """The broadcaster read a routine broadcast. A missed one keeps its
    missed flag and records the late airing."""
    require_perm(actor, AIR_ANNOUNCEMENT)
    now = now or timezone.now()
    airing = RoutineAiring.objects.select_for_update().get(pk=airing.pk)
    if airing.state == RoutineAiring.State.AIRED:
        raise ValidationError(_("This was already marked aired."), code="already_aired")
    airing.transition_to(RoutineAiring.State.AIRED)
    airing.aired_at, airing.aired_by = now, actor
    airing.save(update_fields=["state", "aired_at", "aired_by"])
    return airing


def routine_missed_flag(*, now: datetime.datetime | None = None) -> list[int]:
    """Dispatcher: flag routine broadcasts still not aired `grace` minutes
    after they were due, so the supervisor sees them. Claims rows with SKIP
    LOCKED so two beats never flag the same one twice."""
    now = now or timezone.now()
    routine_airings_ensure(day=local_date(now))
    cutoff = now - datetime.timedelta(minutes=routine_grace_minutes())
    with transaction.atomic():
        rows = list(
            RoutineAiring.objects.select_for_update(skip_locked=True).filter(
                state=RoutineAiring.State.DUE, due_at__lte=cutoff
            )[:500]
        )
        for airing in rows:
            airing.transition_to(RoutineAiring.State.MISSED)
            airing.missed_flagged_at = now
            airing.save(update_fields=["state", "missed_flagged_at"])
    return [a.pk for a in rows]
