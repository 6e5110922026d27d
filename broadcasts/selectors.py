"""Reads of the broadcast room, always scoped to the requesting user's malls."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from broadcasts.models import (
    SCREEN_MESSAGE_CONTENT,
    SCREEN_PRIORITIES,
    WEEKDAYS,
    Announcement,
    AnnouncementAiring,
    MissingPersonCase,
    RoutineAiring,
    RoutineSlot,
    Screen,
    ScreenLiveRecord,
    ScreenMessage,
    ScreenMessageEdit,
    ScreenPlacement,
    ScriptTemplate,
)
from broadcasts.playlist import candidate_messages, live_now
from mallservice.clock import local_date
from mallservice.models import Unit
from mallservice.selectors import scope_to_user_malls

# The queue shows what is due now and what comes up in the next minutes,
# so the repeat plan reminds the broadcaster ahead of time.
QUEUE_LOOKAHEAD = datetime.timedelta(minutes=15)


def template_list(*, user: Any) -> QuerySet[ScriptTemplate]:
    return scope_to_user_malls(ScriptTemplate.objects.select_related("mall"), user=user)


def routine_slot_list(*, user: Any) -> QuerySet[RoutineSlot]:
    return scope_to_user_malls(
        RoutineSlot.objects.select_related("mall", "template"), user=user
    ).order_by("mall", "at")


def routine_airing_list(*, user: Any) -> QuerySet[RoutineAiring]:
    return scope_to_user_malls(
        RoutineAiring.objects.select_related("mall", "slot__template", "aired_by"), user=user
    )


def announcement_list(*, user: Any) -> QuerySet[Announcement]:
    return scope_to_user_malls(
        Announcement.objects.select_related("mall", "requested_by", "decided_by"), user=user
    )


def announcement_queue(*, user: Any, now: datetime.datetime | None = None) -> list[Announcement]:
    """Queued announcements whose next repeat is due within the lookahead,
    most urgent kind first, then by due time; each carries `next_due_at`
    and `aired_count`."""
    now = now or timezone.now()
    planned = Q(airings__state=AnnouncementAiring.State.PLANNED)
    return list(
        announcement_list(user=user)
        .filter(state=Announcement.State.QUEUED)
        .annotate(
            next_due_at=Min("airings__due_at", filter=planned),
            aired_count=Count("airings", filter=Q(airings__state="aired")),
        )
        .filter(next_due_at__lte=now + QUEUE_LOOKAHEAD)
        .order_by("urgency", "next_due_at", "pk")
    )


def routine_due(*, user: Any, now: datetime.datetime | None = None) -> list[RoutineAiring]:
    """Today's routine broadcasts not yet aired, due now or soon, and missed ones."""
    now = now or timezone.now()
    return list(
        routine_airing_list(user=user)
        .filter(day=local_date(now))
        .filter(
            Q(state=RoutineAiring.State.MISSED)
            | Q(state=RoutineAiring.State.DUE, due_at__lte=now + QUEUE_LOOKAHEAD)
        )
        .order_by("due_at")
    )


def pending_announcements(*, user: Any) -> QuerySet[Announcement]:
    return announcement_list(user=user).filter(state=Announcement.State.PENDING_APPROVAL)


def missing_case_list(*, user: Any) -> QuerySet[MissingPersonCase]:
    return scope_to_user_malls(
        MissingPersonCase.objects.select_related("mall", "handled_by"), user=user
    )


def police_overdue_q(now: datetime.datetime) -> Q:
    """Open cases whose time to call the police has come, and nobody has."""
    return Q(
        state=MissingPersonCase.State.OPEN, police_called_at__isnull=True, police_due_at__lte=now
    )


def exit_choices(*, case: MissingPersonCase) -> QuerySet[Unit]:
    """Exits of the case's mall: entrances and the car park."""
    return Unit.objects.filter(
        mall_id=case.mall_id,
        is_active=True,
        kind=Unit.Kind.PUBLIC_AREA,
        area_kind__in=[Unit.AreaKind.ENTRANCE, Unit.AreaKind.CAR_PARK],
    ).select_related("floor")


def screen_list(*, user: Any) -> QuerySet[Screen]:
    return scope_to_user_malls(Screen.objects.select_related("mall"), user=user)


def screen_message_list(*, user: Any) -> QuerySet[ScreenMessage]:
    """Messages with their placements and, as `pending_edits`, the edit
    waiting for approval (a list of at most one)."""
    return scope_to_user_malls(
        ScreenMessage.objects.select_related("mall", "submitted_by", "decided_by").prefetch_related(
            Prefetch("placements", queryset=ScreenPlacement.objects.select_related("screen")),
            Prefetch(
                "edits",
                queryset=ScreenMessageEdit.objects.filter(
                    state=ScreenMessageEdit.State.PENDING
                ).select_related("submitted_by"),
                to_attr="pending_edits",
            ),
        ),
        user=user,
    )


def awaiting_approval_q() -> Q:
    """New messages waiting for a supervisor and live ones with an edit waiting."""
    pending_edit = ScreenMessageEdit.objects.filter(
        message=OuterRef("pk"), state=ScreenMessageEdit.State.PENDING
    )
    return Q(state=ScreenMessage.State.PENDING) | Q(Exists(pending_edit))


def player_message_list(*, token: str) -> QuerySet[ScreenMessage]:
    """The approved messages placed on the active screen with this token:
    what the public player may fetch the images of (the token is its only
    credential)."""
    placed = ScreenPlacement.objects.filter(
        message=OuterRef("pk"), screen__token=token, screen__is_active=True
    )
    return ScreenMessage.objects.filter(Exists(placed), state=ScreenMessage.State.APPROVED)


def screen_message_edit_list(*, user: Any) -> QuerySet[ScreenMessageEdit]:
    return scope_to_user_malls(
        ScreenMessageEdit.objects.select_related(
            "message", "submitted_by", "decided_by"
        ).prefetch_related(
            Prefetch(
                "message__placements", queryset=ScreenPlacement.objects.select_related("screen")
            )
        ),
        user=user,
    )


def _shown(name: str, value: Any) -> str:
    if name == "weekdays":
        labels = dict(WEEKDAYS)
        return "、".join(str(labels[d]) for d in value) if value else str(_("every day"))
    if name == "priority":
        return str(dict(SCREEN_PRIORITIES).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    if name == "image" and value:
        return value.rsplit("/", 1)[-1]
    return "—" if value in (None, "") else str(value)


def screen_message_edit_changes(edit: ScreenMessageEdit) -> list[dict[str, Any]]:
    """What the edit changes, field by field: label, what runs now, what is
    proposed and whether they differ (for the supervisor's review)."""
    message = edit.message
    names = {s.pk: s.name for s in Screen.objects.filter(pk__in=edit.screen_ids)}
    current_screens = sorted(p.screen.name for p in message.placements.all())
    proposed_screens = sorted(names.get(sid, str(sid)) for sid in edit.screen_ids)
    rows = []
    for name in SCREEN_MESSAGE_CONTENT:
        field = ScreenMessage._meta.get_field(name)
        now_value, new_value = getattr(message, name), getattr(edit, name)
        if name == "image":
            now_value, new_value = now_value.name or "", new_value.name or ""
        rows.append(
            {
                "name": name,
                "label": field.verbose_name,
                "current": _shown(name, now_value),
                "proposed": _shown(name, new_value),
                "changed": now_value != new_value,
            }
        )
    rows.append(
        {
            "name": "screens",
            "label": ScreenMessageEdit._meta.get_field("screen_ids").verbose_name,
            "current": ", ".join(current_screens),
            "proposed": ", ".join(proposed_screens),
            "changed": current_screens != proposed_screens,
        }
    )
    return rows


def screens_now(
    *, user: Any, now: datetime.datetime | None = None, mall_ids: list[int] | None = None
) -> list[tuple[Screen, list[dict]]]:
    """What is on each screen now (the same rules as the player, uncached),
    of the user's malls or of `mall_ids` among them."""
    now = now or timezone.now()
    screens = screen_list(user=user).filter(is_active=True)
    if mall_ids is not None:
        screens = screens.filter(mall_id__in=mall_ids)
    screens = list(screens)
    by_screen = candidate_messages([s.pk for s in screens], day=local_date(now))
    return [(s, live_now(by_screen[s.pk], now)) for s in screens]


def live_record_list(*, user: Any) -> QuerySet[ScreenLiveRecord]:
    return scope_to_user_malls(
        ScreenLiveRecord.objects.select_related("screen", "message"), user=user
    )


def live_message_ids(
    *, user: Any, now: datetime.datetime | None = None, mall_ids: list[int] | None = None
) -> set[int]:
    """Screen messages on at least one active screen right now."""
    return {
        message["id"]
        for _screen, live in screens_now(user=user, now=now, mall_ids=mall_ids)
        for message in live
    }
