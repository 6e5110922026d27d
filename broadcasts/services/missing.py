"""Missing-person cases (寻人), following Code Adam practice: the page goes
out at once, the police prompt after ten minutes, closing cancels the
pages."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from broadcasts.models import (
    Announcement,
    AnnouncementKind,
    ExitWatch,
    MissingPersonCase,
)
from broadcasts.permissions import ADD_MISSINGPERSONCASE
from broadcasts.services.announcements import announcement_cancel, announcement_request
from broadcasts.services.common import require_perm
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall, Unit, User
from mallservice.validators import normalise_mobile


def police_prompt_minutes() -> int:
    """Minutes after a missing-person report before the desk is prompted to
    call the police (Code Adam: 10)."""
    return int(getattr(settings, "BROADCASTS_POLICE_PROMPT_MINUTES", 10))


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
    require_perm(actor, ADD_MISSINGPERSONCASE)
    now = now or timezone.now()
    try:
        phone = normalise_mobile(reporter_phone)
    except ValidationError as exc:
        raise ValidationError({"reporter_phone": exc}) from exc
    if last_seen_at > now + datetime.timedelta(minutes=1):
        raise field_error("last_seen_at", _("This is in the future."), "future")
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
    require_same_mall(case.mall, exit)
    case = MissingPersonCase.objects.select_for_update().get(pk=case.pk)
    if case.state != MissingPersonCase.State.OPEN:
        raise ValidationError(_("The case is closed."), code="closed")
    if ExitWatch.objects.filter(case=case, exit=exit).exists():
        raise field_error("exit", _("This exit is already watched."), "duplicate")
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
        raise field_error("at", _("Check the time."), "bad_time")
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
        raise field_error(
            "outcome",
            _("A person not found cannot have been reunited with the family."),
            "reunited_not_found",
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
