"""Messages for the entrance screens: entering one, a supervisor's decision,
withdrawing, and the content rules an edit shares."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadcasts.models import (
    Screen,
    ScreenMessage,
    ScreenMessageEdit,
    ScreenPlacement,
)
from broadcasts.permissions import ADD_SCREENMESSAGE, APPROVE_SCREENMESSAGE
from broadcasts.playlist import invalidate_screens
from broadcasts.services.common import require_perm
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall, User
from mallservice.uploads import SCREEN_IMAGE, upload_check


def invalidate_message(message: ScreenMessage) -> None:
    ids = list(message.placements.values_list("screen_id", flat=True))
    transaction.on_commit(lambda: invalidate_screens(ids))


def screen_image(image: Any) -> File | None:
    """An uploaded screen image checked by its content (a JPEG, PNG or WebP
    that decodes, at most UPLOAD_MAX_BYTES["screen_image"]), or None."""
    if not image:
        return None
    return upload_check(image, rule=SCREEN_IMAGE, field="image").file


@transaction.atomic
def screen_message_submit(
    *,
    actor: User,
    mall: Mall,
    title: str,
    text: str,
    screens: list[Screen],
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    weekdays: list[int] | None = None,
    time_from: datetime.time | None = None,
    time_until: datetime.time | None = None,
    duration_seconds: int = 10,
    priority: int = 0,
    is_emergency: bool = False,
    image: Any = None,
    now: datetime.datetime | None = None,
) -> ScreenMessage:
    """Enter a screen message; it waits for a supervisor. Supervisors'
    own messages are approved as they enter them. Emergency messages may be
    entered only by a supervisor and so go live at once."""
    require_perm(actor, ADD_SCREENMESSAGE)
    now = now or timezone.now()
    approver = actor.has_perm(APPROVE_SCREENMESSAGE)
    if is_emergency and not approver:
        raise emergency_needs_supervisor()
    check_message_schedule(mall, screens, time_from, time_until)
    image = screen_image(image)
    message = ScreenMessage(
        mall=mall,
        submitted_by=actor,
        submitted_at=now,
        **message_content(
            title=title,
            text=text,
            starts_on=starts_on,
            ends_on=ends_on,
            weekdays=weekdays,
            time_from=time_from,
            time_until=time_until,
            duration_seconds=duration_seconds,
            priority=priority,
            is_emergency=is_emergency,
        ),
    )
    if image:
        message.image = image
    if approver:
        message.state = ScreenMessage.State.APPROVED
        message.decided_by, message.decided_at = actor, now
    message.full_clean()
    message.save()
    ScreenPlacement.objects.bulk_create(
        ScreenPlacement(mall=mall, message=message, screen=s) for s in screens
    )
    invalidate_message(message)
    return message


def message_content(
    *,
    title: str,
    text: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    weekdays: list[int] | None,
    time_from: datetime.time | None,
    time_until: datetime.time | None,
    duration_seconds: int,
    priority: int,
    is_emergency: bool,
) -> dict[str, Any]:
    """A message's content fields (but the image) as entered, tidied."""
    return {
        "title": title.strip(),
        "text": text.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "weekdays": sorted({int(d) for d in weekdays or []}),
        "time_from": time_from,
        "time_until": time_until,
        "duration_seconds": duration_seconds,
        "priority": priority,
        "is_emergency": is_emergency,
    }


def emergency_needs_supervisor() -> ValidationError:
    return field_error(
        "is_emergency",
        _("Only a supervisor can put an emergency on the screens."),
        "emergency_needs_supervisor",
    )


def check_message_schedule(
    mall: Mall,
    screens: list[Screen],
    time_from: datetime.time | None,
    time_until: datetime.time | None,
) -> None:
    if not screens:
        raise field_error("screens", _("Choose at least one screen."), "required")
    require_same_mall(mall, *screens)
    if (time_from is None) != (time_until is None):
        raise field_error("time_until", _("Give both times or neither."), "window")


def _decide_message(
    actor: User, message: ScreenMessage, state: str, now: datetime.datetime | None
) -> ScreenMessage:
    message = ScreenMessage.objects.select_for_update().get(pk=message.pk)
    message.transition_to(state)
    message.decided_by, message.decided_at = actor, now or timezone.now()
    message.save(update_fields=["state", "decided_by", "decided_at"])
    invalidate_message(message)
    return message


@transaction.atomic
def screen_message_approve(
    *, actor: User, message: ScreenMessage, now: datetime.datetime | None = None
) -> ScreenMessage:
    """Approve a message: it goes live on its screens within its windows;
    players pick it up on their next poll."""
    require_perm(actor, APPROVE_SCREENMESSAGE)
    return _decide_message(actor, message, ScreenMessage.State.APPROVED, now)


@transaction.atomic
def screen_message_reject(
    *, actor: User, message: ScreenMessage, now: datetime.datetime | None = None
) -> ScreenMessage:
    require_perm(actor, APPROVE_SCREENMESSAGE)
    return _decide_message(actor, message, ScreenMessage.State.REJECTED, now)


@transaction.atomic
def screen_message_withdraw(
    *, actor: User, message: ScreenMessage, now: datetime.datetime | None = None
) -> ScreenMessage:
    """Take a message off the screens (or withdraw it before approval)."""
    message = ScreenMessage.objects.select_for_update().get(pk=message.pk)
    if not (actor.pk == message.submitted_by_id or actor.has_perm(APPROVE_SCREENMESSAGE)):
        raise ValidationError(_("You may not do this."), code="not_allowed")
    message.transition_to(ScreenMessage.State.WITHDRAWN)
    message.save(update_fields=["state"])
    # An edit waiting for approval goes with the message it would change.
    for edit in ScreenMessageEdit.objects.select_for_update().filter(
        message=message, state=ScreenMessageEdit.State.PENDING
    ):
        edit.transition_to(ScreenMessageEdit.State.WITHDRAWN)
        edit.save(update_fields=["state"])
    invalidate_message(message)
    return message
