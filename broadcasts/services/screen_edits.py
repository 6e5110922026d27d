"""Editing a message after it was entered.

A message still waiting for approval is simply changed. A message already
approved (live, or due to run) keeps its approved content on the screens
while the change waits for a supervisor as a ScreenMessageEdit: the
entrance screens never go blank or show unapproved text because of an
edit. Approving the edit copies it onto the message; rejecting (or
withdrawing) it leaves the approved version playing. A supervisor's own
edit is approved as they enter it, like their new messages."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadcasts.models import (
    SCREEN_MESSAGE_CONTENT,
    Screen,
    ScreenLiveRecord,
    ScreenMessage,
    ScreenMessageEdit,
    ScreenPlacement,
)
from broadcasts.permissions import ADD_SCREENMESSAGE, APPROVE_SCREENMESSAGE
from broadcasts.playlist import invalidate_screens
from broadcasts.services.common import require_perm
from broadcasts.services.screen_messages import (
    check_message_schedule,
    emergency_needs_supervisor,
    message_content,
    screen_image,
)
from mallservice.models import User


def _replace_placements(message: ScreenMessage, screen_ids: set[int]) -> set[int]:
    """Make `message` run on exactly `screen_ids`. Returns the screens whose
    playlists changed (old and new) so their cached entries can go."""
    current = set(message.placements.values_list("screen_id", flat=True))
    ScreenPlacement.objects.filter(message=message, screen_id__in=current - screen_ids).delete()
    ScreenPlacement.objects.bulk_create(
        ScreenPlacement(mall_id=message.mall_id, message=message, screen_id=sid)
        for sid in sorted(screen_ids - current)
    )
    return current | screen_ids


def _split_live_records(
    message: ScreenMessage, screen_ids: set[int], now: datetime.datetime
) -> None:
    """An approved change ends the live period of the old version: the log
    of what was live when then has one period per version (its content is
    in the message's history at `live_from`). Screens the message still
    runs on start a new period now; the dispatcher corrects time windows on
    its next run."""
    for record in ScreenLiveRecord.objects.select_for_update().filter(
        message=message, live_until__isnull=True
    ):
        record.live_until = now
        record.save(update_fields=["live_until"])
        if record.screen_id in screen_ids:
            ScreenLiveRecord.objects.create(
                mall_id=record.mall_id, screen_id=record.screen_id, message=message, live_from=now
            )


def _apply_content(message: ScreenMessage, content: dict[str, Any], image: Any = None) -> None:
    for name in SCREEN_MESSAGE_CONTENT:
        setattr(message, name, content[name])
    if image:
        message.image = image
    message.full_clean()


@transaction.atomic
def screen_message_edit(
    *,
    actor: User,
    message: ScreenMessage,
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
    remove_image: bool = False,
    now: datetime.datetime | None = None,
) -> ScreenMessageEdit | None:
    """Change a message's text, image, schedule, duration, priority or
    screens.

    - waiting for approval: changed in place, still waiting (returns None);
    - approved, by a supervisor: applied at once and the supervisor becomes
      its approver (returns None);
    - approved, by anyone else: a pending edit is recorded (or the pending
      one revised) and returned; the approved version stays on the screens
      until a supervisor approves the edit.
    Withdrawn or rejected messages cannot be edited (enter a new one).
    Cached playlists of the screens concerned are dropped on commit."""
    require_perm(actor, ADD_SCREENMESSAGE)
    now = now or timezone.now()
    message = ScreenMessage.objects.select_for_update().get(pk=message.pk)
    if message.state not in (ScreenMessage.State.PENDING, ScreenMessage.State.APPROVED):
        raise ValidationError(
            _("A withdrawn or rejected message cannot be changed; enter a new one."),
            code="not_editable",
        )
    approver = actor.has_perm(APPROVE_SCREENMESSAGE)
    # Only a supervisor may turn a message into an emergency; keeping an
    # emergency flag a supervisor set is a proposal like any other.
    if is_emergency and not message.is_emergency and not approver:
        raise emergency_needs_supervisor()
    check_message_schedule(message.mall, screens, time_from, time_until)
    image = screen_image(image)
    content = message_content(
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
    )
    content["image"] = message.image.name if message.image else ""
    pending = (
        ScreenMessageEdit.objects.select_for_update()
        .filter(message=message, state=ScreenMessageEdit.State.PENDING)
        .first()
    )
    if pending is not None and not image and not remove_image:
        content["image"] = pending.image.name  # a revision keeps its proposed image
    if remove_image:
        content["image"] = ""
    screen_ids = {s.pk for s in screens}

    if message.state == ScreenMessage.State.PENDING or approver:
        _apply_content(message, content, image)
        fields = [*SCREEN_MESSAGE_CONTENT]
        if message.state == ScreenMessage.State.APPROVED:
            message.decided_by, message.decided_at = actor, now
            fields += ["decided_by", "decided_at"]
        message.save(update_fields=fields)
        touched = _replace_placements(message, screen_ids)
        if message.state == ScreenMessage.State.APPROVED:
            _split_live_records(message, screen_ids, now)
        if pending is not None:
            # The supervisor's own change supersedes the one waiting.
            pending.transition_to(ScreenMessageEdit.State.WITHDRAWN)
            pending.save(update_fields=["state"])
        transaction.on_commit(lambda: invalidate_screens(touched))
        return None

    edit = pending or ScreenMessageEdit(mall_id=message.mall_id, message=message)
    for name, value in content.items():
        setattr(edit, name, value)
    if image:
        edit.image = image
    edit.screen_ids = sorted(screen_ids)
    edit.submitted_by, edit.submitted_at = actor, now
    edit.full_clean()
    edit.save()
    return edit


def _locked_edit(edit: ScreenMessageEdit) -> tuple[ScreenMessage, ScreenMessageEdit]:
    # Message first, then the edit: the same order as screen_message_edit.
    message = ScreenMessage.objects.select_for_update().get(pk=edit.message_id)
    return message, ScreenMessageEdit.objects.select_for_update().get(pk=edit.pk)


@transaction.atomic
def screen_message_edit_approve(
    *, actor: User, edit: ScreenMessageEdit, now: datetime.datetime | None = None
) -> ScreenMessage:
    """Approve an edit: the message takes the new content and screens (the
    approver becomes its approver) and players show it on their next poll.
    Screens switched off since the edit was entered are left out; if none
    is left the edit cannot be approved."""
    require_perm(actor, APPROVE_SCREENMESSAGE)
    now = now or timezone.now()
    message, edit = _locked_edit(edit)
    edit.transition_to(ScreenMessageEdit.State.APPROVED)
    screen_ids = set(
        Screen.objects.filter(
            pk__in=edit.screen_ids, mall_id=message.mall_id, is_active=True
        ).values_list("pk", flat=True)
    )
    if not screen_ids:
        raise ValidationError(
            _("None of the edit's screens is in use any more."), code="no_screens"
        )
    _apply_content(message, {name: getattr(edit, name) for name in SCREEN_MESSAGE_CONTENT})
    message.decided_by, message.decided_at = actor, now
    message.save(update_fields=[*SCREEN_MESSAGE_CONTENT, "decided_by", "decided_at"])
    touched = _replace_placements(message, screen_ids)
    _split_live_records(message, screen_ids, now)
    edit.decided_by, edit.decided_at = actor, now
    edit.save(update_fields=["state", "decided_by", "decided_at"])
    transaction.on_commit(lambda: invalidate_screens(touched))
    return message


@transaction.atomic
def screen_message_edit_reject(
    *,
    actor: User,
    edit: ScreenMessageEdit,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ScreenMessageEdit:
    """Refuse an edit: the approved version stays on the screens unchanged."""
    require_perm(actor, APPROVE_SCREENMESSAGE)
    _message, edit = _locked_edit(edit)
    edit.transition_to(ScreenMessageEdit.State.REJECTED)
    edit.decided_by, edit.decided_at = actor, now or timezone.now()
    edit.decision_note = note.strip()
    edit.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return edit


@transaction.atomic
def screen_message_edit_withdraw(*, actor: User, edit: ScreenMessageEdit) -> ScreenMessageEdit:
    """The one who entered an edit (or a supervisor) takes it back."""
    _message, edit = _locked_edit(edit)
    if not (actor.pk == edit.submitted_by_id or actor.has_perm(APPROVE_SCREENMESSAGE)):
        raise ValidationError(_("You may not do this."), code="not_allowed")
    edit.transition_to(ScreenMessageEdit.State.WITHDRAWN)
    edit.save(update_fields=["state"])
    return edit
