"""Spot checks (查岗): recording a check reconciles it at once against the
roster, the punch log and the off-post log; the undeclared absences (离岗未报)
it finds are explained by the person and decided by a supervisor."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from mallservice.guards import field_error
from mallservice.models import Mall, User
from mallservice.workflow import locked
from rosters import permissions as perms
from rosters.models import (
    Assignment,
    ClockEvent,
    OffPostRecord,
    SpotCheck,
    SpotCheckEntry,
    UndeclaredAbsence,
)
from rosters.selectors.roster import staff_of_mall
from rosters.services.rules import require, require_permission, require_staff_of, resolve_now

# A clock-in counts for a shift from this long before it starts, as in the
# attendance records (rosters.selectors.attendance.attendance_for_assignment):
# yesterday's clock-in without a clock-out does not make someone "on duty".
CLOCK_IN_WINDOW = datetime.timedelta(hours=3)

Result = SpotCheckEntry.Result


def _require_mall_staff(mall: Mall, people: list[User], field: str) -> None:
    """Only the mall's own staff can be recorded as found: a posted id of
    another mall's person is refused, next to the field."""
    ids = {p.pk for p in people}
    known = set(staff_of_mall(mall).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - known:
        raise field_error(field, _("This person does not work at this mall."), "other_mall")


def _clocked_in(assignments: list[Assignment], at: datetime.datetime) -> set[int]:
    """Staff whose last punch before `at` is a clock-in made for this shift."""
    if not assignments:
        return set()
    earliest = {a.staff_id: a.starts_at - CLOCK_IN_WINDOW for a in assignments}
    last: dict[int, ClockEvent] = {}
    for event in ClockEvent.objects.filter(
        staff_id__in=earliest, at__gte=min(earliest.values()), at__lte=at
    ).order_by("at", "pk"):
        if event.at >= earliest[event.staff_id]:
            last[event.staff_id] = event
    return {pk for pk, event in last.items() if event.kind == ClockEvent.Kind.IN}


def _off_post(staff_ids: Iterable[int], at: datetime.datetime) -> set[int]:
    """Staff on the off-post log at `at` (离岗登记: left, not yet back)."""
    return set(
        OffPostRecord.objects.filter(staff_id__in=list(staff_ids), out_at__lte=at)
        .exclude(back_at__lte=at)
        .values_list("staff_id", flat=True)
    )


@transaction.atomic
def spot_check_record(
    *,
    actor: User,
    mall: Mall,
    present: Iterable[User] = (),
    also_found: Iterable[User] = (),
    note: str = "",
    now: datetime.datetime | None = None,
) -> SpotCheck:
    """Record a spot check at `now` and reconcile it in the same transaction:
    one entry per person rostered at that moment (found, off post, not
    clocked in, or missing) and per person found who was not rostered. Each
    missing person — rostered, clocked in, not off post, not found — gets an
    undeclared absence awaiting their explanation. Not clocked in is not an
    absence here: attendance already counts lateness and 旷工."""
    now = resolve_now(now)
    require_permission(actor, perms.ADD_SPOTCHECK)
    require_staff_of(actor, mall)
    present, also_found = list(present), list(also_found)
    _require_mall_staff(mall, present, "present")
    _require_mall_staff(mall, also_found, "also_found")
    # Lock the shifts being reconciled: a swap approved meanwhile moves them
    # after this check, not halfway through it. Only the shifts: the week
    # the filter joins stays free for the supervisor publishing it.
    rostered = list(
        Assignment.objects.select_for_update(of=("self",))
        .on_shift(now)
        .filter(mall=mall)
        .order_by("starts_at", "pk")
    )
    shifts: dict[int, Assignment] = {}
    for assignment in rostered:
        shifts.setdefault(assignment.staff_id, assignment)
    found = {p.pk for p in present} | {p.pk for p in also_found}
    unaccounted = [a for a in shifts.values() if a.staff_id not in found]
    clocked_in = _clocked_in(unaccounted, now)
    off_post = _off_post((a.staff_id for a in unaccounted), now)

    check = SpotCheck.objects.create(mall=mall, checker=actor, at=now, note=note)
    entries, absences = [], []
    for staff_id, assignment in shifts.items():
        if staff_id in found:
            result = Result.PRESENT
        elif staff_id in off_post:
            result = Result.OFF_POST
        elif staff_id not in clocked_in:
            result = Result.NOT_CLOCKED_IN
        else:
            result = Result.MISSING
            absences.append(
                UndeclaredAbsence(
                    mall=mall,
                    spot_check=check,
                    staff_id=staff_id,
                    assignment=assignment,
                    post_id=assignment.post_id,
                )
            )
        entries.append(
            SpotCheckEntry(
                mall=mall,
                spot_check=check,
                staff_id=staff_id,
                assignment=assignment,
                post_id=assignment.post_id,
                result=result,
            )
        )
    entries += [
        SpotCheckEntry(mall=mall, spot_check=check, staff_id=pk, result=Result.NOT_ROSTERED)
        for pk in sorted(found - shifts.keys())
    ]
    # bulk_create fires the audit triggers row by row like save() does.
    SpotCheckEntry.objects.bulk_create(entries)
    UndeclaredAbsence.objects.bulk_create(absences)
    return check


@transaction.atomic
def undeclared_absence_explain(
    *,
    actor: User,
    absence: UndeclaredAbsence,
    explanation: str,
    now: datetime.datetime | None = None,
) -> UndeclaredAbsence:
    """The person writes why they were not at the post; only they may, and
    only while it awaits their explanation."""
    absence = locked(absence)
    require(
        actor.pk == absence.staff_id,
        _("Only the person concerned can explain an absence."),
        "not_own",
    )
    explanation = explanation.strip()
    require(bool(explanation), _("Write what happened."), "empty", "explanation")
    absence.transition_to(UndeclaredAbsence.State.EXPLAINED)
    absence.explanation = explanation
    absence.explained_at = resolve_now(now)
    absence.save(update_fields=["state", "explanation", "explained_at"])
    return absence


@transaction.atomic
def undeclared_absence_review(
    *,
    actor: User,
    absence: UndeclaredAbsence,
    decision: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> UndeclaredAbsence:
    """A supervisor accepts the reason (`excused`: not counted) or confirms
    the absence (`confirmed`: counted on the monthly attendance report).
    Nobody decides on their own absence."""
    require_permission(actor, perms.REVIEW_UNDECLAREDABSENCE)
    require(
        decision in (UndeclaredAbsence.State.EXCUSED, UndeclaredAbsence.State.CONFIRMED),
        _("Accept or confirm."),
        "invalid_decision",
    )
    absence = locked(absence)
    require_staff_of(actor, absence.mall)
    require(actor.pk != absence.staff_id, _("You cannot decide on your own absence."), "own")
    absence.transition_to(decision)
    absence.reviewed_by = actor
    absence.reviewed_at = resolve_now(now)
    absence.review_note = note
    absence.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    return absence
