"""Training sessions (培训)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from rosters import permissions as perms
from rosters.models import (
    TrainingAttendance,
    TrainingSession,
)
from rosters.services.rules import (
    require,
    require_permission,
)


@transaction.atomic
def training_session_record(
    *,
    actor: User,
    mall: Mall,
    topic: str,
    date: datetime.date,
    trainer: str,
    attendees: list[User],
) -> TrainingSession:
    require_permission(actor, perms.ADD_TRAININGSESSION)
    require(bool(attendees), _("Pick at least one attendee."), "no_attendees", "attendees")
    session = TrainingSession(mall=mall, topic=topic, date=date, trainer=trainer, recorded_by=actor)
    session.full_clean()
    session.save()
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(mall=mall, session=session, staff=person) for person in attendees]
    )
    return session
