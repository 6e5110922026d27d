"""Every write of the broadcast room. Each function is keyword-only, takes
the acting user and an optional `now`, locks the rows whose state it changes
and raises ValidationError with a code on a broken business rule."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from broadcasts.models import (
    KIND_URGENCY,
    KINDS_NEEDING_APPROVAL,
    SCREEN_MESSAGE_CONTENT,
    SCRIPT_FIELDS,
    Announcement,
    AnnouncementAiring,
    AnnouncementKind,
    ExitWatch,
    MissingPersonCase,
    RoutineAiring,
    RoutineSlot,
    Screen,
    ScreenLiveRecord,
    ScreenMessage,
    ScreenMessageEdit,
    ScreenPlacement,
    ScriptTemplate,
    new_screen_token,
    render_script,
    template_placeholders,
)
from broadcasts.playlist import candidate_messages, invalidate_screens, live_now, player_cache_key
from mallservice.models import Mall, Unit, User
from mallservice.uploads import SCREEN_IMAGE, upload_check
from mallservice.validators import normalise_mobile


def police_prompt_minutes() -> int:
    """Minutes after a missing-person report before the desk is prompted to
    call the police (Code Adam: 10)."""
    return int(getattr(settings, "BROADCASTS_POLICE_PROMPT_MINUTES", 10))


def routine_grace_minutes() -> int:
    """Minutes a routine broadcast may run late before it is flagged missed."""
    return int(getattr(settings, "BROADCASTS_ROUTINE_GRACE_MINUTES", 10))


def _require_perm(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise ValidationError(_("You may not do this."), code="not_allowed")


def _same_mall(mall: Mall, *objs: Any) -> None:
    for obj in objs:
        if obj is not None and obj.mall_id != mall.pk:
            raise ValidationError(_("That belongs to another mall."), code="other_mall")


# --- script templates -------------------------------------------------------


def _check_body(body: str) -> None:
    unknown = [p for p in template_placeholders(body) if p not in SCRIPT_FIELDS]
    if unknown:
        raise ValidationError(
            {
                "body": ValidationError(
                    _("Unknown field(s): %(fields)s. Use only the listed fields.")
                    % {"fields": ", ".join(unknown)},
                    code="unknown_placeholder",
                )
            }
        )


@transaction.atomic
def script_template_save(
    *,
    actor: User,
    mall: Mall,
    kind: str,
    name: str,
    body: str,
    is_active: bool = True,
    template: ScriptTemplate | None = None,
) -> ScriptTemplate:
    """Create a script template, or change `template`."""
    _require_perm(actor, "broadcasts.add_scripttemplate")
    _check_body(body)
    if template is None:
        template = ScriptTemplate(mall=mall)
    else:
        template = ScriptTemplate.objects.select_for_update().get(pk=template.pk)
    template.kind, template.name, template.body, template.is_active = kind, name, body, is_active
    template.full_clean()
    template.save()
    return template


# --- routine schedule -------------------------------------------------------


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
    _require_perm(actor, "broadcasts.add_routineslot")
    _same_mall(mall, template)
    if template.kind != AnnouncementKind.ROUTINE:
        raise ValidationError(
            {"template": ValidationError(_("Choose a routine template."), code="not_routine")}
        )
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
    _require_perm(actor, "broadcasts.air_announcement")
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
    routine_airings_ensure(day=timezone.localdate(now))
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


# --- ad-hoc announcements ---------------------------------------------------


def _plan_airings(announcement: Announcement, *, start: datetime.datetime) -> None:
    interval = datetime.timedelta(minutes=announcement.interval_minutes)
    AnnouncementAiring.objects.bulk_create(
        AnnouncementAiring(
            mall_id=announcement.mall_id,
            announcement=announcement,
            sequence=n + 1,
            due_at=start + n * interval,
        )
        for n in range(announcement.repetitions)
    )


@transaction.atomic
def announcement_request(
    *,
    actor: User,
    mall: Mall,
    kind: str,
    template: ScriptTemplate | None = None,
    fields: dict[str, str] | None = None,
    script: str = "",
    wanted_at: datetime.datetime | None = None,
    repetitions: int = 1,
    interval_minutes: int = 5,
    missing_case: MissingPersonCase | None = None,
    now: datetime.datetime | None = None,
) -> Announcement:
    """Request an announcement. Ads and promotions wait for a supervisor;
    every other kind goes straight to the broadcaster's queue with its
    repeat plan (one airing row per repetition)."""
    _require_perm(actor, "broadcasts.add_announcement")
    now = now or timezone.now()
    kind = AnnouncementKind(kind)
    if kind == AnnouncementKind.ROUTINE:
        raise ValidationError(
            {"kind": ValidationError(_("Routine broadcasts come from the schedule."), "routine")}
        )
    _same_mall(mall, template, missing_case)
    fields = {k: str(v).strip() for k, v in (fields or {}).items() if k in SCRIPT_FIELDS}
    if template is not None:
        if template.kind != kind:
            raise ValidationError(
                {"template": ValidationError(_("This template is for another kind."), "kind")}
            )
        missing = [p for p in template.placeholders if not fields.get(p)]
        if missing:
            raise ValidationError(
                {
                    p: ValidationError(_("Fill in this field for the script."), code="required")
                    for p in missing
                }
            )
        script = render_script(template.body, fields)
    if not script.strip():
        raise ValidationError(
            {"script": ValidationError(_("Write the script or choose a template."), "required")}
        )
    # A time in the past means "as soon as possible".
    wanted_at = now if wanted_at is None or wanted_at < now else wanted_at
    announcement = Announcement(
        mall=mall,
        kind=kind,
        urgency=KIND_URGENCY[kind],
        template=template,
        fields=fields,
        script=script.strip(),
        requested_by=actor,
        requested_at=now,
        wanted_at=wanted_at,
        repetitions=repetitions,
        interval_minutes=interval_minutes,
        missing_case=missing_case,
        state=Announcement.State.PENDING_APPROVAL
        if kind in KINDS_NEEDING_APPROVAL
        else Announcement.State.QUEUED,
    )
    announcement.full_clean()
    announcement.save()
    if announcement.state == Announcement.State.QUEUED:
        _plan_airings(announcement, start=wanted_at)
    return announcement


def _locked_announcement(announcement: Announcement) -> Announcement:
    return Announcement.objects.select_for_update().get(pk=announcement.pk)


@transaction.atomic
def announcement_approve(
    *,
    actor: User,
    announcement: Announcement,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Announcement:
    """A supervisor approves an ad or promotion: it joins the queue from the
    wanted time (or now, if that has passed)."""
    _require_perm(actor, "broadcasts.approve_announcement")
    now = now or timezone.now()
    announcement = _locked_announcement(announcement)
    announcement.transition_to(Announcement.State.QUEUED)
    announcement.decided_by, announcement.decided_at = actor, now
    announcement.decision_note = note
    announcement.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _plan_airings(announcement, start=max(announcement.wanted_at, now))
    return announcement


@transaction.atomic
def announcement_reject(
    *,
    actor: User,
    announcement: Announcement,
    note: str,
    now: datetime.datetime | None = None,
) -> Announcement:
    _require_perm(actor, "broadcasts.approve_announcement")
    if not note.strip():
        raise ValidationError(
            {"note": ValidationError(_("Say why it is rejected."), code="required")}
        )
    announcement = _locked_announcement(announcement)
    announcement.transition_to(Announcement.State.REJECTED)
    announcement.decided_by, announcement.decided_at = actor, now or timezone.now()
    announcement.decision_note = note.strip()
    announcement.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return announcement


@transaction.atomic
def announcement_cancel(
    *,
    actor: User,
    announcement: Announcement,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Announcement:
    """Cancel a request once resolved (car moved, child found): the repeats
    not yet aired are dropped from the plan."""
    announcement = _locked_announcement(announcement)
    announcement.transition_to(Announcement.State.CANCELLED)
    announcement.cancelled_by, announcement.cancelled_at = actor, now or timezone.now()
    announcement.cancel_reason = reason.strip()
    announcement.save(update_fields=["state", "cancelled_by", "cancelled_at", "cancel_reason"])
    for airing in AnnouncementAiring.objects.select_for_update().filter(
        announcement=announcement, state=AnnouncementAiring.State.PLANNED
    ):
        airing.transition_to(AnnouncementAiring.State.DROPPED)
        airing.save(update_fields=["state"])
    return announcement


@transaction.atomic
def announcement_air(
    *,
    actor: User,
    announcement: Announcement,
    now: datetime.datetime | None = None,
) -> AnnouncementAiring:
    """Record that the broadcaster read the next planned repetition. If it
    ran late, the later repeats move so the interval between them holds.
    After the last one the announcement is done."""
    _require_perm(actor, "broadcasts.air_announcement")
    now = now or timezone.now()
    announcement = _locked_announcement(announcement)
    if announcement.state != Announcement.State.QUEUED:
        raise ValidationError(
            _("Only an announcement in the queue can be aired."), code="not_queued"
        )
    planned = list(
        AnnouncementAiring.objects.select_for_update()
        .filter(announcement=announcement, state=AnnouncementAiring.State.PLANNED)
        .order_by("sequence")
    )
    airing = planned[0]
    airing.transition_to(AnnouncementAiring.State.AIRED)
    airing.aired_at, airing.aired_by = now, actor
    airing.save(update_fields=["state", "aired_at", "aired_by"])
    interval = datetime.timedelta(minutes=announcement.interval_minutes)
    for later in planned[1:]:
        earliest = now + (later.sequence - airing.sequence) * interval
        if later.due_at < earliest:
            later.due_at = earliest
            later.save(update_fields=["due_at"])
    if len(planned) == 1:
        announcement.transition_to(Announcement.State.DONE)
        announcement.save(update_fields=["state"])
    return airing


# --- missing persons --------------------------------------------------------


def missing_person_script(case: MissingPersonCase) -> str:
    """The page read out for a case, in the mall's language. A child is
    described but never named (Code Adam: a name lets a stranger call the
    child over)."""
    with translation.override(settings.LANGUAGE_CODE):
        who = {
            MissingPersonCase.PersonKind.CHILD: {"m": _("a boy"), "f": _("a girl")}.get(
                case.gender, _("a child")
            ),
            MissingPersonCase.PersonKind.ELDERLY: {
                "m": _("an elderly man"),
                "f": _("an elderly woman"),
            }.get(case.gender, _("an elderly person")),
        }.get(case.person_kind, _("a person"))
        if case.age:
            who = _("%(who)s of about %(age)s") % {"who": who, "age": case.age}
        if case.person_name and case.person_kind != MissingPersonCase.PersonKind.CHILD:
            who = _("%(who)s named %(name)s") % {"who": who, "name": case.person_name}
        return _(
            "Attention please. We are looking for %(who)s: %(description)s, wearing "
            "%(clothing)s, last seen near %(place)s at %(time)s. If you see this person, "
            "please bring them to %(meeting_point)s or tell any member of staff. Thank you."
        ) % {
            "who": who,
            "description": case.description,
            "clothing": case.clothing,
            "place": case.last_seen_place,
            "time": f"{timezone.localtime(case.last_seen_at):%H:%M}",
            "meeting_point": case.meeting_point,
        }


@transaction.atomic
def missing_case_open(
    *,
    actor: User,
    mall: Mall,
    person_kind: str,
    description: str,
    clothing: str,
    last_seen_place: str,
    last_seen_at: datetime.datetime,
    reporter_name: str,
    reporter_phone: str,
    meeting_point: str,
    person_name: str = "",
    age: int | None = None,
    gender: str = "",
    repetitions: int = 3,
    interval_minutes: int = 5,
    now: datetime.datetime | None = None,
) -> MissingPersonCase:
    """Open a case and put its page in the queue at once (never waits for
    approval). The police prompt is due `police_prompt_minutes()` later."""
    _require_perm(actor, "broadcasts.add_missingpersoncase")
    now = now or timezone.now()
    try:
        phone = normalise_mobile(reporter_phone)
    except ValidationError as exc:
        raise ValidationError({"reporter_phone": exc}) from exc
    if last_seen_at > now + datetime.timedelta(minutes=1):
        raise ValidationError(
            {"last_seen_at": ValidationError(_("This is in the future."), code="future")}
        )
    case = MissingPersonCase(
        mall=mall,
        person_kind=person_kind,
        person_name=person_name.strip(),
        age=age,
        gender=gender,
        description=description.strip(),
        clothing=clothing.strip(),
        last_seen_place=last_seen_place.strip(),
        last_seen_at=last_seen_at,
        reporter_name=reporter_name.strip(),
        reporter_phone=phone,
        meeting_point=meeting_point.strip(),
        handled_by=actor,
        reported_at=now,
        police_due_at=now + datetime.timedelta(minutes=police_prompt_minutes()),
    )
    case.full_clean()
    case.save()
    announcement_request(
        actor=actor,
        mall=mall,
        kind=AnnouncementKind.MISSING_PERSON,
        script=missing_person_script(case),
        repetitions=repetitions,
        interval_minutes=interval_minutes,
        missing_case=case,
        now=now,
    )
    return case


@transaction.atomic
def missing_case_watch_exit(
    *,
    actor: User,
    case: MissingPersonCase,
    exit: Unit,
    now: datetime.datetime | None = None,
) -> ExitWatch:
    _same_mall(case.mall, exit)
    case = MissingPersonCase.objects.select_for_update().get(pk=case.pk)
    if case.state != MissingPersonCase.State.OPEN:
        raise ValidationError(_("The case is closed."), code="closed")
    if ExitWatch.objects.filter(case=case, exit=exit).exists():
        raise ValidationError(
            {"exit": ValidationError(_("This exit is already watched."), code="duplicate")}
        )
    return ExitWatch.objects.create(
        mall=case.mall, case=case, exit=exit, watched_by=actor, watched_at=now or timezone.now()
    )


@transaction.atomic
def missing_case_police_called(
    *,
    actor: User,
    case: MissingPersonCase,
    at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> MissingPersonCase:
    """Record when the desk called the police (110)."""
    now = now or timezone.now()
    at = at or now
    case = MissingPersonCase.objects.select_for_update().get(pk=case.pk)
    if case.police_called_at:
        raise ValidationError(_("The police call is already recorded."), code="already_called")
    if at > now + datetime.timedelta(minutes=1) or at < case.reported_at - datetime.timedelta(
        hours=12
    ):
        raise ValidationError({"at": ValidationError(_("Check the time."), code="bad_time")})
    case.police_called_at, case.police_called_by = at, actor
    case.save(update_fields=["police_called_at", "police_called_by"])
    return case


@transaction.atomic
def missing_case_resolve(
    *,
    actor: User,
    case: MissingPersonCase,
    outcome: str,
    found: bool,
    found_at: datetime.datetime | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> MissingPersonCase:
    """Close a case (found or not) and cancel its pages: repeats not yet
    aired drop out of the queue."""
    now = now or timezone.now()
    if outcome == MissingPersonCase.Outcome.REUNITED and not found:
        raise ValidationError(
            {"outcome": _("A person not found cannot have been reunited with the family.")},
            code="reunited_not_found",
        )
    case = MissingPersonCase.objects.select_for_update().get(pk=case.pk)
    case.transition_to(MissingPersonCase.State.FOUND if found else MissingPersonCase.State.CLOSED)
    case.outcome = MissingPersonCase.Outcome(outcome)
    case.outcome_note = note.strip()
    case.found_at = (found_at or now) if found else None
    case.save(update_fields=["state", "outcome", "outcome_note", "found_at"])
    for announcement in case.announcements.filter(
        state__in=[Announcement.State.QUEUED, Announcement.State.PENDING_APPROVAL]
    ):
        announcement_cancel(
            actor=actor, announcement=announcement, reason=case.get_outcome_display(), now=now
        )
    return case


def missing_police_prompt_dispatch(*, now: datetime.datetime | None = None) -> list[int]:
    """Dispatcher: mark open cases past their police time as prompted, once
    each (SKIP LOCKED), so the desk's home page and the case flag it."""
    now = now or timezone.now()
    with transaction.atomic():
        cases = list(
            MissingPersonCase.objects.select_for_update(skip_locked=True).filter(
                state=MissingPersonCase.State.OPEN,
                police_called_at__isnull=True,
                police_prompted_at__isnull=True,
                police_due_at__lte=now,
            )[:200]
        )
        for case in cases:
            case.police_prompted_at = now
            case.save(update_fields=["police_prompted_at"])
    return [c.pk for c in cases]


# --- screens ----------------------------------------------------------------


@transaction.atomic
def screen_save(
    *,
    actor: User,
    mall: Mall,
    name: str,
    location: str = "",
    is_active: bool = True,
    screen: Screen | None = None,
) -> Screen:
    _require_perm(actor, "broadcasts.add_screen")
    screen = (
        Screen(mall=mall)
        if screen is None
        else Screen.objects.select_for_update().get(pk=screen.pk)
    )
    screen.name, screen.location, screen.is_active = name.strip(), location.strip(), is_active
    screen.full_clean()
    screen.save()
    pk = screen.pk
    transaction.on_commit(lambda: invalidate_screens([pk]))
    return screen


@transaction.atomic
def screen_token_rotate(*, actor: User, screen: Screen) -> Screen:
    """A new secret player URL; the old one stops working at once."""
    _require_perm(actor, "broadcasts.change_screen")
    screen = Screen.objects.select_for_update().get(pk=screen.pk)
    old = screen.token
    screen.token = new_screen_token()
    screen.token_rotated_at = timezone.now()
    screen.save(update_fields=["token", "token_rotated_at"])
    transaction.on_commit(lambda: cache.delete(player_cache_key(old)))
    return screen


def _invalidate_message(message: ScreenMessage) -> None:
    ids = list(message.placements.values_list("screen_id", flat=True))
    transaction.on_commit(lambda: invalidate_screens(ids))


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
    _require_perm(actor, "broadcasts.add_screenmessage")
    now = now or timezone.now()
    approver = actor.has_perm("broadcasts.approve_screenmessage")
    if is_emergency and not approver:
        raise _emergency_needs_supervisor()
    _check_message_schedule(mall, screens, time_from, time_until)
    image = _screen_image(image)
    message = ScreenMessage(
        mall=mall,
        submitted_by=actor,
        submitted_at=now,
        **_message_content(
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
    _invalidate_message(message)
    return message


def _message_content(
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


def _emergency_needs_supervisor() -> ValidationError:
    return ValidationError(
        {
            "is_emergency": ValidationError(
                _("Only a supervisor can put an emergency on the screens."),
                code="emergency_needs_supervisor",
            )
        }
    )


def _check_message_schedule(
    mall: Mall,
    screens: list[Screen],
    time_from: datetime.time | None,
    time_until: datetime.time | None,
) -> None:
    if not screens:
        raise ValidationError(
            {"screens": ValidationError(_("Choose at least one screen."), code="required")}
        )
    _same_mall(mall, *screens)
    if (time_from is None) != (time_until is None):
        raise ValidationError(
            {"time_until": ValidationError(_("Give both times or neither."), code="window")}
        )


def _decide_message(
    actor: User, message: ScreenMessage, state: str, now: datetime.datetime | None
) -> ScreenMessage:
    message = ScreenMessage.objects.select_for_update().get(pk=message.pk)
    message.transition_to(state)
    message.decided_by, message.decided_at = actor, now or timezone.now()
    message.save(update_fields=["state", "decided_by", "decided_at"])
    _invalidate_message(message)
    return message


@transaction.atomic
def screen_message_approve(
    *, actor: User, message: ScreenMessage, now: datetime.datetime | None = None
) -> ScreenMessage:
    """Approve a message: it goes live on its screens within its windows;
    players pick it up on their next poll."""
    _require_perm(actor, "broadcasts.approve_screenmessage")
    return _decide_message(actor, message, ScreenMessage.State.APPROVED, now)


@transaction.atomic
def screen_message_reject(
    *, actor: User, message: ScreenMessage, now: datetime.datetime | None = None
) -> ScreenMessage:
    _require_perm(actor, "broadcasts.approve_screenmessage")
    return _decide_message(actor, message, ScreenMessage.State.REJECTED, now)


@transaction.atomic
def screen_message_withdraw(
    *, actor: User, message: ScreenMessage, now: datetime.datetime | None = None
) -> ScreenMessage:
    """Take a message off the screens (or withdraw it before approval)."""
    message = ScreenMessage.objects.select_for_update().get(pk=message.pk)
    if not (
        actor.pk == message.submitted_by_id or actor.has_perm("broadcasts.approve_screenmessage")
    ):
        raise ValidationError(_("You may not do this."), code="not_allowed")
    message.transition_to(ScreenMessage.State.WITHDRAWN)
    message.save(update_fields=["state"])
    # An edit waiting for approval goes with the message it would change.
    for edit in ScreenMessageEdit.objects.select_for_update().filter(
        message=message, state=ScreenMessageEdit.State.PENDING
    ):
        edit.transition_to(ScreenMessageEdit.State.WITHDRAWN)
        edit.save(update_fields=["state"])
    _invalidate_message(message)
    return message


# --- editing a message after it was entered -----------------------------------
#
# A message still waiting for approval is simply changed. A message already
# approved (live, or due to run) keeps its approved content on the screens
# while the change waits for a supervisor as a ScreenMessageEdit: the
# entrance screens never go blank or show unapproved text because of an
# edit. Approving the edit copies it onto the message; rejecting (or
# withdrawing) it leaves the approved version playing. A supervisor's own
# edit is approved as they enter it, like their new messages.


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


def _screen_image(image: Any) -> File | None:
    """An uploaded screen image checked by its content (a JPEG, PNG or WebP
    that decodes, at most UPLOAD_MAX_BYTES["screen_image"]), or None."""
    if not image:
        return None
    return upload_check(image, rule=SCREEN_IMAGE, field="image").file


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
    _require_perm(actor, "broadcasts.add_screenmessage")
    now = now or timezone.now()
    message = ScreenMessage.objects.select_for_update().get(pk=message.pk)
    if message.state not in (ScreenMessage.State.PENDING, ScreenMessage.State.APPROVED):
        raise ValidationError(
            _("A withdrawn or rejected message cannot be changed; enter a new one."),
            code="not_editable",
        )
    approver = actor.has_perm("broadcasts.approve_screenmessage")
    # Only a supervisor may turn a message into an emergency; keeping an
    # emergency flag a supervisor set is a proposal like any other.
    if is_emergency and not message.is_emergency and not approver:
        raise _emergency_needs_supervisor()
    _check_message_schedule(message.mall, screens, time_from, time_until)
    image = _screen_image(image)
    content = _message_content(
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
    _require_perm(actor, "broadcasts.approve_screenmessage")
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
    _require_perm(actor, "broadcasts.approve_screenmessage")
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
    if not (actor.pk == edit.submitted_by_id or actor.has_perm("broadcasts.approve_screenmessage")):
        raise ValidationError(_("You may not do this."), code="not_allowed")
    edit.transition_to(ScreenMessageEdit.State.WITHDRAWN)
    edit.save(update_fields=["state"])
    return edit


def screen_live_log_refresh(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Dispatcher: bring the log of what was live when up to date. Opens a
    record for every message live on a screen now and closes those that no
    longer are. Returns (opened, closed)."""
    now = now or timezone.now()
    opened = closed = 0
    with transaction.atomic():
        screens = list(Screen.objects.select_for_update(skip_locked=True).filter(is_active=True))
        if not screens:
            return 0, 0
        by_screen = candidate_messages([s.pk for s in screens], day=timezone.localdate(now))
        live = {(s.pk, m["id"]) for s in screens for m in live_now(by_screen[s.pk], now)}
        mall_of = {s.pk: s.mall_id for s in screens}
        open_records = {
            (r.screen_id, r.message_id): r
            for r in ScreenLiveRecord.objects.filter(screen__in=screens, live_until__isnull=True)
        }
        for key, record in open_records.items():
            if key not in live:
                record.live_until = now
                record.save(update_fields=["live_until"])
                closed += 1
        new = [
            ScreenLiveRecord(mall_id=mall_of[sid], screen_id=sid, message_id=mid, live_from=now)
            for sid, mid in live
            if (sid, mid) not in open_records
        ]
        ScreenLiveRecord.objects.bulk_create(new)
        opened = len(new)
    return opened, closed
