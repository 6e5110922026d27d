"""The incident log (值班事件): record, follow up, close. An urgent incident
is reported to the duty manager at once, in the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desk.models import DeskSettings, Incident, IncidentFollowUp, ReferenceCounter
from desk.permissions import CLOSE_INCIDENT
from desk.services.references import reference_next
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Floor, Mall, Unit
from mallservice.notifications.models import Message
from mallservice.notifications.services import message_queue
from mallservice.workflow import locked

# A clock a few minutes fast at the desk PC is not "in the future".
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _check_place(mall: Mall, floor: Floor | None, unit: Unit | None) -> None:
    require_same_mall(mall, floor, field="floor")
    require_same_mall(mall, unit, field="unit")
    if floor is not None and unit is not None and unit.floor_id != floor.pk:
        raise field_error("unit", _("This place is not on the chosen floor."), "wrong_floor")


@transaction.atomic
def incident_report(
    *,
    actor: Any,
    mall: Mall,
    kind: str,
    occurred_at: datetime.datetime,
    people_involved: str,
    description: str,
    actions_taken: str,
    urgent: bool = False,
    floor: Floor | None = None,
    unit: Unit | None = None,
    place: str = "",
    police_called: bool = False,
    ambulance_called: bool = False,
    now: datetime.datetime | None = None,
) -> Incident:
    """Record an incident with the next SJ- reference of the mall's year.
    Side effect: an urgent one gets its duty-manager notice
    (`incident_notify_duty_manager`) in the same transaction."""
    now = now or timezone.now()
    if occurred_at > now + CLOCK_SKEW:
        raise field_error(
            "occurred_at", _("An incident cannot have happened in the future."), "future"
        )
    _check_place(mall, floor, unit)
    if unit is not None and floor is None:
        floor = unit.floor
    incident = Incident(
        mall=mall,
        kind=kind,
        urgent=urgent,
        occurred_at=occurred_at,
        floor=floor,
        unit=unit,
        place=place.strip(),
        people_involved=people_involved.strip(),
        description=description.strip(),
        actions_taken=actions_taken.strip(),
        police_called=police_called,
        ambulance_called=ambulance_called,
        reported_by=actor,
        created_at=now,
    )
    incident.reference = reference_next(
        mall=mall, series=ReferenceCounter.Series.INCIDENT, year=local_date(now).year
    )
    incident.full_clean()
    incident.save()
    if urgent:
        incident_notify_duty_manager(incident=incident, now=now)
    return incident


def incident_notify_duty_manager(
    *, incident: Incident, now: datetime.datetime | None = None
) -> Message:
    """Report an urgent incident to the mall's duty manager (值班经理): an
    SMS in the shared outbox, once per incident. Without an SMS provider
    the console channel records it ("recorded, not sent") and the page
    tells the desk to call."""
    existing = Message.objects.filter(source=incident.outbox_source).first()
    if existing is not None:
        return existing
    duty = DeskSettings.objects.filter(mall_id=incident.mall_id).first()
    # The notice is read by the duty manager, in the mall's language.
    with translation.override(settings.LANGUAGE_CODE):
        body = gettext(
            "Urgent incident %(reference)s at %(mall)s: %(kind)s, %(place)s, %(time)s. "
            "Call the service desk."
        ) % {
            "reference": incident.reference,
            "mall": incident.mall.name,
            "kind": incident.get_kind_display(),
            "place": incident_place(incident) or "—",
            "time": timezone.localtime(incident.occurred_at).strftime("%H:%M"),
        }
    return message_queue(
        mall_id=incident.mall_id,
        kind="desk.incident_urgent",
        source=incident.outbox_source,
        channel=Message.Channel.SMS,
        category=Message.Category.ALERT,
        audience=Message.Audience.STAFF,
        recipient=duty.duty_manager_phone if duty else "",
        recipient_name=duty.duty_manager_name if duty else "",
        template="desk.incident_urgent",
        params={"reference": incident.reference, "mall": incident.mall.name},
        body=body,
        key=f"desk.incident_urgent:{incident.pk}",
        now=now,
    )


def incident_place(incident: Incident) -> str:
    """Floor · shop · exact place, as the desk says it."""
    parts = [
        incident.floor.code if incident.floor_id else "",
        incident.unit.name if incident.unit_id else "",
        incident.place,
    ]
    return " · ".join(part for part in parts if part)


@transaction.atomic
def incident_follow_up(
    *, actor: Any, incident: Incident, note: str, now: datetime.datetime | None = None
) -> IncidentFollowUp:
    """Add a follow-up step; an open incident moves to "following up"."""
    incident = locked(incident)
    if incident.status == Incident.Status.CLOSED:
        raise field_error("note", _("This incident is closed."), "closed")
    note = note.strip()
    if not note:
        raise field_error("note", _("Write what was done."), "empty")
    if incident.status == Incident.Status.OPEN:
        incident.transition_to(Incident.Status.FOLLOW_UP)
        incident.save(update_fields=["status"])
    return IncidentFollowUp.objects.create(
        incident=incident, mall_id=incident.mall_id, at=now or timezone.now(), by=actor, note=note
    )


@transaction.atomic
def incident_close(
    *, actor: Any, incident: Incident, closing_note: str, now: datetime.datetime | None = None
) -> Incident:
    """结案: the outcome is required; closing is the supervisor's."""
    if not actor.has_perm(CLOSE_INCIDENT):
        raise PermissionDenied
    incident = locked(incident)
    incident.transition_to(Incident.Status.CLOSED)
    incident.closing_note = closing_note.strip()
    incident.closed_at = now or timezone.now()
    incident.closed_by = actor
    incident.full_clean()
    incident.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
    return incident
