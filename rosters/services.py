"""Every write of the rosters app. Each function is keyword-only, takes the
acting user, runs in one transaction and locks the rows whose state it
changes. Business rules raise `ValidationError` with a code."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from mallservice.roles import Role, has_role
from mallservice.selectors import user_mall_ids
from mallservice.uploads import PHOTO_OR_PDF, upload_check
from rosters.models import (
    Assignment,
    ClockEvent,
    ClockPin,
    Handover,
    Inspection,
    LeaveRequest,
    OffPostRecord,
    Post,
    PostHourMinimum,
    PostQualification,
    RosterPolicy,
    ShiftType,
    SupplyAllowance,
    SupplyItem,
    SupplyRequisition,
    SwapRequest,
    TrainingAttendance,
    TrainingSession,
    Week,
)
from rosters.selectors import is_qualified, policy_for, staff_of_mall, week_start_of

APPROVERS = (Role.SUPERVISOR, Role.MANAGER)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _require(condition: bool, message: str, code: str, field: str | None = None) -> None:
    if not condition:
        error = ValidationError(message, code=code)
        raise ValidationError({field: error}) if field else error


def _require_approver(actor: User) -> None:
    if not has_role(actor, *APPROVERS):
        raise ValidationError(_("Only a supervisor may do this."), code="not_supervisor")


# --- configuration ---------------------------------------------------------


@transaction.atomic
def roster_policy_set(*, actor: User, mall: Mall, **values: int) -> RosterPolicy:
    """Create or update the mall's configurable rules."""
    _require_approver(actor)
    policy, _created = RosterPolicy.objects.select_for_update().get_or_create(mall=mall)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def shift_type_create(
    *,
    actor: User,
    mall: Mall,
    code: str,
    name: str,
    start: datetime.time,
    end: datetime.time,
    late_grace_minutes: int = 5,
    early_grace_minutes: int = 5,
) -> ShiftType:
    shift = ShiftType(
        mall=mall,
        code=code,
        name=name,
        start=start,
        end=end,
        late_grace_minutes=late_grace_minutes,
        early_grace_minutes=early_grace_minutes,
    )
    shift.full_clean()
    shift.save()
    return shift


@transaction.atomic
def post_create(*, actor: User, mall: Mall, code: str, name: str, min_staff: int = 1) -> Post:
    post = Post(mall=mall, code=code, name=name, min_staff=min_staff)
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def post_hour_minimum_set(*, actor: User, post: Post, hour: int, min_staff: int) -> PostHourMinimum:
    """Set the minimum staff of `post` for the opening hour starting at `hour`."""
    _require_approver(actor)
    _require(0 <= hour <= 23, _("An hour is 0 to 23."), "hour", "hour")
    minimum, _created = PostHourMinimum.objects.select_for_update().get_or_create(
        post=post, hour=hour, defaults={"mall": post.mall, "min_staff": min_staff}
    )
    if minimum.min_staff != min_staff:
        minimum.min_staff = min_staff
        minimum.save(update_fields=["min_staff"])
    return minimum


@transaction.atomic
def post_qualify(*, actor: User, post: Post, staff: User) -> PostQualification:
    """Record that `staff` may work `post` (idempotent)."""
    _require(
        staff_of_mall(post.mall).filter(pk=staff.pk).exists(),
        _("This person does not work at this mall."),
        "not_mall_staff",
    )
    qualification, _created = PostQualification.objects.get_or_create(
        post=post, staff=staff, defaults={"mall": post.mall}
    )
    return qualification


# --- the weekly roster -----------------------------------------------------


@transaction.atomic
def week_get_or_create(*, actor: User, mall: Mall, day: datetime.date) -> Week:
    """The roster of the week containing `day`, created as a draft if new."""
    week, _created = Week.objects.get_or_create(mall=mall, week_start=week_start_of(day))
    return week


def _rest_conflict(
    *,
    staff: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    date: datetime.date,
    exclude: list[int],
    min_rest: datetime.timedelta,
) -> Assignment | None:
    """Another shift of `staff` on the same day, or closer than the minimum
    rest to [starts_at, ends_at)."""
    return (
        Assignment.objects.filter(staff=staff)
        .exclude(pk__in=exclude)
        .filter(
            Q(date=date) | Q(starts_at__lt=ends_at + min_rest, ends_at__gt=starts_at - min_rest)
        )
        .select_related("shift_type")
        .first()
    )


@transaction.atomic
def assignment_set(
    *,
    actor: User,
    mall: Mall,
    staff: User,
    date: datetime.date,
    shift_type: ShiftType,
    post: Post,
) -> Assignment:
    """Put `staff` on `shift_type` at `post` on `date` in the draft roster of
    that week, replacing their assignment of the day if any."""
    _require_approver(actor)
    week = Week.objects.select_for_update().get(
        pk=week_get_or_create(actor=actor, mall=mall, day=date).pk
    )
    _require(
        not week.is_published,
        _("This week is published; changes go through an approved swap."),
        "week_published",
    )
    _require(shift_type.mall_id == mall.pk and post.mall_id == mall.pk, _("Wrong mall."), "mall")
    _require(
        staff_of_mall(mall).filter(pk=staff.pk).exists(),
        _("This person does not work at this mall."),
        "not_mall_staff",
        "staff",
    )
    _require(
        is_qualified(staff=staff, post=post),
        _("%(name)s is not qualified for %(post)s.") % {"name": staff, "post": post},
        "not_qualified",
        "post",
    )
    starts_at, ends_at = shift_type.bounds(date)
    existing = Assignment.objects.select_for_update().filter(staff=staff, date=date).first()
    conflict = _rest_conflict(
        staff=staff,
        starts_at=starts_at,
        ends_at=ends_at,
        date=date,
        exclude=[existing.pk] if existing else [],
        min_rest=datetime.timedelta(hours=policy_for(mall).min_rest_hours),
    )
    _require(
        conflict is None,
        _("Too little rest between this shift and the one on %(date)s.")
        % {"date": conflict.date if conflict else ""},
        "min_rest",
        "shift_type",
    )
    assignment = existing or Assignment(mall=mall, week=week, staff=staff, date=date)
    assignment.shift_type = shift_type
    assignment.post = post
    assignment.starts_at, assignment.ends_at = starts_at, ends_at
    assignment.save()
    return assignment


@transaction.atomic
def assignment_clear(*, actor: User, mall: Mall, staff: User, date: datetime.date) -> int:
    """Remove `staff`'s shift on `date` from a draft roster."""
    _require_approver(actor)
    week = (
        Week.objects.select_for_update().filter(mall=mall, week_start=week_start_of(date)).first()
    )
    if week is None:
        return 0
    _require(
        not week.is_published,
        _("This week is published; changes go through an approved swap."),
        "week_published",
    )
    deleted, _detail = Assignment.objects.filter(week=week, staff=staff, date=date).delete()
    return deleted


@transaction.atomic
def week_copy_previous(*, actor: User, week: Week) -> int:
    """Copy last week's assignments into this draft week, day by day, for
    staff who have no shift that day yet and are still qualified. Returns how
    many were copied."""
    _require_approver(actor)
    week = Week.objects.select_for_update().get(pk=week.pk)
    _require(not week.is_published, _("This week is already published."), "week_published")
    previous = (
        Assignment.objects.filter(
            mall=week.mall, week__week_start=week.week_start - datetime.timedelta(days=7)
        )
        .select_related("shift_type", "post", "staff")
        .order_by("date", "starts_at")
    )
    copied = 0
    for old in previous:
        day = old.date + datetime.timedelta(days=7)
        if Assignment.objects.filter(staff=old.staff, date=day).exists():
            continue
        if not (old.shift_type.is_active and old.post.is_active):
            continue
        try:
            with transaction.atomic():
                assignment_set(
                    actor=actor,
                    mall=week.mall,
                    staff=old.staff,
                    date=day,
                    shift_type=old.shift_type,
                    post=old.post,
                )
        except ValidationError:
            continue  # someone no longer qualified or rested: leave the cell empty
        copied += 1
    return copied


@transaction.atomic
def week_publish(*, actor: User, week: Week, now: datetime.datetime | None = None) -> Week:
    """Publish the roster: staff see it, and from now on it changes only
    through approved swaps."""
    _require_approver(actor)
    week = Week.objects.select_for_update().get(pk=week.pk)
    _require(week.assignments.exists(), _("The roster is empty."), "empty_week")
    week.transition_to(Week.State.PUBLISHED)
    week.published_at = _now(now)
    week.published_by = actor
    week.save(update_fields=["state", "published_at", "published_by"])
    return week


# --- swaps (调班) ----------------------------------------------------------


def _swap_check(
    *,
    mine: Assignment,
    theirs: Assignment,
    requester: User,
    counterpart: User,
    now: datetime.datetime,
) -> None:
    """The rules a swap must meet when asked for, accepted and approved:
    published, future, the right people, qualified both ways, rested."""
    _require(mine.staff_id == requester.pk, _("That is not your shift."), "not_own_shift")
    _require(
        theirs.staff_id == counterpart.pk,
        _("That shift is no longer your colleague's."),
        "not_counterpart_shift",
    )
    _require(requester.pk != counterpart.pk, _("Pick a colleague's shift."), "same_person")
    _require(mine.mall_id == theirs.mall_id, _("Both shifts must be in one mall."), "mall")
    _require(
        mine.week.is_published and theirs.week.is_published,
        _("Only shifts of a published roster can be swapped."),
        "not_published",
    )
    _require(
        mine.starts_at > now and theirs.starts_at > now,
        _("A shift that has started or passed cannot be swapped."),
        "past_shift",
    )
    _require(
        is_qualified(staff=requester, post=theirs.post)
        and is_qualified(staff=counterpart, post=mine.post),
        _("Both people must be qualified for the other's post."),
        "not_qualified",
    )
    min_rest = datetime.timedelta(hours=policy_for(mine.mall).min_rest_hours)
    for person, taking in ((requester, theirs), (counterpart, mine)):
        conflict = _rest_conflict(
            staff=person,
            starts_at=taking.starts_at,
            ends_at=taking.ends_at,
            date=taking.date,
            exclude=[mine.pk, theirs.pk],
            min_rest=min_rest,
        )
        _require(
            conflict is None,
            _("%(name)s would have too little rest before or after the shift on %(date)s.")
            % {"name": person, "date": taking.date},
            "min_rest",
        )


@transaction.atomic
def swap_request_create(
    *,
    actor: User,
    mine: Assignment,
    theirs: Assignment,
    reason: str,
    now: datetime.datetime | None = None,
) -> SwapRequest:
    """The requester asks a colleague to exchange shifts; nothing changes
    until the colleague accepts and a supervisor approves."""
    now = _now(now)
    _swap_check(mine=mine, theirs=theirs, requester=actor, counterpart=theirs.staff, now=now)
    _require(
        not SwapRequest.objects.filter(
            requester_assignment=mine, state__in=SwapRequest.OPEN_STATES
        ).exists(),
        _("This shift already has an open swap request."),
        "open_swap_exists",
    )
    swap = SwapRequest(
        mall=mine.mall,
        requester=actor,
        requester_assignment=mine,
        counterpart=theirs.staff,
        counterpart_assignment=theirs,
        reason=reason,
        created_at=now,
    )
    swap.full_clean()
    swap.save()
    return swap


def _lock_swap(swap: SwapRequest) -> SwapRequest:
    return SwapRequest.objects.select_for_update().get(pk=swap.pk)


@transaction.atomic
def swap_request_accept(
    *, actor: User, swap: SwapRequest, now: datetime.datetime | None = None
) -> SwapRequest:
    """The colleague agrees; the request goes to the supervisor."""
    now = _now(now)
    swap = _lock_swap(swap)
    _require(
        actor.pk == swap.counterpart_id,
        _("Only the colleague asked can accept."),
        "not_counterpart",
    )
    _swap_check(
        mine=swap.requester_assignment,
        theirs=swap.counterpart_assignment,
        requester=swap.requester,
        counterpart=swap.counterpart,
        now=now,
    )
    swap.transition_to(SwapRequest.State.AWAITING_SUPERVISOR)
    swap.accepted_at = now
    swap.save(update_fields=["state", "accepted_at"])
    return swap


@transaction.atomic
def swap_request_decline(*, actor: User, swap: SwapRequest) -> SwapRequest:
    swap = _lock_swap(swap)
    _require(
        actor.pk == swap.counterpart_id,
        _("Only the colleague asked can decline."),
        "not_counterpart",
    )
    swap.transition_to(SwapRequest.State.DECLINED)
    swap.save(update_fields=["state"])
    return swap


@transaction.atomic
def swap_request_cancel(*, actor: User, swap: SwapRequest) -> SwapRequest:
    swap = _lock_swap(swap)
    _require(actor.pk == swap.requester_id, _("Only the requester can cancel."), "not_requester")
    swap.transition_to(SwapRequest.State.CANCELLED)
    swap.save(update_fields=["state"])
    return swap


@transaction.atomic
def swap_request_approve(
    *, actor: User, swap: SwapRequest, note: str = "", now: datetime.datetime | None = None
) -> SwapRequest:
    """The supervisor approves: in this one transaction the swap is marked
    approved and both assignments change hands (the database trigger refuses
    the exchange for any swap not approved)."""
    now = _now(now)
    _require_approver(actor)
    swap = _lock_swap(swap)
    # Lock both shifts in id order so two approvals touching one shift queue
    # up instead of deadlocking.
    locked = {
        a.pk: a
        for a in Assignment.objects.select_for_update()
        .filter(pk__in=[swap.requester_assignment_id, swap.counterpart_assignment_id])
        .order_by("pk")
    }
    mine, theirs = locked[swap.requester_assignment_id], locked[swap.counterpart_assignment_id]
    _require(
        actor.pk not in (swap.requester_id, swap.counterpart_id),
        _("You cannot approve your own swap."),
        "own_swap",
    )
    # The state first: a second approver waiting on the lock is told the
    # swap was already decided, not that the shifts moved.
    swap.transition_to(SwapRequest.State.APPROVED)
    _swap_check(
        mine=mine, theirs=theirs, requester=swap.requester, counterpart=swap.counterpart, now=now
    )
    swap.decided_by, swap.decided_at, swap.decision_note = actor, now, note
    swap.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    mine.staff_id, theirs.staff_id = swap.counterpart_id, swap.requester_id
    for assignment in (mine, theirs):
        assignment.source = Assignment.Source.SWAP
        assignment.swap = swap
        assignment.save(update_fields=["staff", "source", "swap"])
    return swap


@transaction.atomic
def swap_request_reject(
    *, actor: User, swap: SwapRequest, note: str = "", now: datetime.datetime | None = None
) -> SwapRequest:
    _require_approver(actor)
    swap = _lock_swap(swap)
    swap.transition_to(SwapRequest.State.REJECTED)
    swap.decided_by, swap.decided_at, swap.decision_note = actor, _now(now), note
    swap.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return swap


# --- leave (请假) ----------------------------------------------------------


@transaction.atomic
def leave_request_create(
    *,
    actor: User,
    mall: Mall,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str,
    sick_note: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> LeaveRequest:
    """A staff member files leave for themselves. Only sick leave may be
    filed after the fact, and only within the mall's limit."""
    now = _now(now)
    today = timezone.localdate(now)
    policy = policy_for(mall)
    _require(
        start_date <= end_date, _("The period ends before it starts."), "period_order", "end_date"
    )
    filed_late = start_date < today
    if filed_late:
        _require(
            kind == LeaveRequest.Kind.SICK,
            _("Only sick leave can be filed after the fact."),
            "past_leave",
            "start_date",
        )
        _require(
            (today - start_date).days <= policy.sick_leave_late_days,
            _("Sick leave must be filed within %(days)s days.")
            % {"days": policy.sick_leave_late_days},
            "late_filing",
            "start_date",
        )
    # Lock the person so two filings at once cannot both pass the overlap check.
    User.objects.select_for_update().get(pk=actor.pk)
    _require(
        not LeaveRequest.objects.filter(
            staff=actor,
            state__in=[*LeaveRequest.OPEN_STATES, LeaveRequest.State.APPROVED],
            start_date__lte=end_date,
            end_date__gte=start_date,
        ).exists(),
        _("You already have leave in this period."),
        "overlap",
        "start_date",
    )
    leave = LeaveRequest(
        mall=mall,
        staff=actor,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        filed_late=filed_late,
        created_at=now,
    )
    leave.needs_manager = leave.days > policy.manager_approval_over_days
    if sick_note is not None:
        # A photo or a PDF by its content, stored under a random name.
        leave.sick_note = upload_check(sick_note, rule=PHOTO_OR_PDF, field="sick_note").file
    leave.full_clean()
    leave.save()
    return leave


def _is_manager(user: User) -> bool:
    return has_role(user, Role.MANAGER)


@transaction.atomic
def leave_request_approve(
    *, actor: User, leave: LeaveRequest, note: str = "", now: datetime.datetime | None = None
) -> LeaveRequest:
    """One approval step. The supervisor signs first; leave longer than the
    mall's limit then waits for a manager. A manager signing at the first
    step signs both levels."""
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    _require(actor.pk != leave.staff_id, _("You cannot approve your own leave."), "own_leave")
    if leave.state == LeaveRequest.State.AWAITING_SUPERVISOR:
        _require_approver(actor)
        leave.supervisor = actor
        if leave.needs_manager and not _is_manager(actor):
            leave.transition_to(LeaveRequest.State.AWAITING_MANAGER)
        else:
            if leave.needs_manager:
                leave.manager = actor
            leave.transition_to(LeaveRequest.State.APPROVED)
    else:
        _require(_is_manager(actor), _("Leave this long needs a manager."), "not_manager")
        leave.manager = actor
        leave.transition_to(LeaveRequest.State.APPROVED)
    leave.decided_at = _now(now)
    leave.decision_note = note
    leave.save(update_fields=["state", "supervisor", "manager", "decided_at", "decision_note"])
    return leave


@transaction.atomic
def leave_request_reject(
    *, actor: User, leave: LeaveRequest, note: str = "", now: datetime.datetime | None = None
) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    _require_approver(actor)
    if leave.state == LeaveRequest.State.AWAITING_MANAGER:
        _require(_is_manager(actor), _("Leave this long needs a manager."), "not_manager")
    leave.transition_to(LeaveRequest.State.REJECTED)
    leave.decided_at = _now(now)
    leave.decision_note = note
    leave.save(update_fields=["state", "decided_at", "decision_note"])
    return leave


@transaction.atomic
def leave_request_cancel(*, actor: User, leave: LeaveRequest) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    _require(actor.pk == leave.staff_id, _("Only the person on leave can cancel."), "not_owner")
    leave.transition_to(LeaveRequest.State.CANCELLED)
    leave.save(update_fields=["state"])
    return leave


# --- attendance (考勤) -----------------------------------------------------


@transaction.atomic
def clock_pin_set(*, actor: User, staff: User, mall: Mall, pin: str) -> ClockPin:
    """Set the PIN `staff` types on the shared desk screen (4–8 digits)."""
    _require(
        pin.isdigit() and 4 <= len(pin) <= 8, _("A PIN is 4 to 8 digits."), "pin_format", "pin"
    )
    _require(actor.pk == staff.pk or has_role(actor, *APPROVERS), _("Not allowed."), "forbidden")
    record, _created = ClockPin.objects.select_for_update().get_or_create(
        staff=staff, defaults={"mall": mall, "pin_hash": make_password(pin)}
    )
    if not _created:
        record.pin_hash = make_password(pin)
        record.save(update_fields=["pin_hash"])
    return record


@transaction.atomic
def clock_record(
    *,
    staff: User,
    mall: Mall,
    kind: str,
    via: str = ClockEvent.Via.LOGIN,
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> ClockEvent:
    """上班打卡 / 下班打卡. In and out alternate; a forgotten clock-out is
    left missing (and flagged by attendance), never filled in here."""
    now = _now(now)
    # Lock the person: two taps at once must not give two clock-ins.
    User.objects.select_for_update().get(pk=staff.pk)
    last = ClockEvent.objects.filter(staff=staff).order_by("-at", "-pk").first()
    clocked_in = (
        last is not None
        and last.kind == ClockEvent.Kind.IN
        and now - last.at < datetime.timedelta(hours=16)
    )
    if kind == ClockEvent.Kind.IN:
        _require(not clocked_in, _("You are already clocked in."), "already_in")
    else:
        _require(clocked_in, _("You are not clocked in."), "not_in")
    return ClockEvent.objects.create(mall=mall, staff=staff, kind=kind, at=now, via=via, ip=ip)


# A 4-digit PIN on a shared screen falls to guessing without a limit: after
# this many wrong PINs for one person (whether typed with their staff number
# or their login name) their PIN is locked for a while. The count is on the
# person's PIN row, taken under its row lock, so a burst of guesses sent at
# once is counted one by one and cannot slip an extra try past the limit.
PIN_FAILURE_LIMIT = 5
PIN_LOCK_SECONDS = 15 * 60


def _bad_pin() -> ValidationError:
    return ValidationError(_("Unknown staff number or wrong PIN."), code="bad_pin")


def clock_record_by_pin(
    *,
    mall: Mall,
    username: str,
    pin: str,
    kind: str,
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> ClockEvent:
    """Clock in or out on the shared screen with a staff number (or login
    name) and PIN. After PIN_FAILURE_LIMIT wrong PINs within
    PIN_LOCK_SECONDS of each other the person's PIN is refused until
    PIN_LOCK_SECONDS after the last one; the count is written to their
    ClockPin row (and so to its history)."""
    now = _now(now)
    staff = (
        staff_of_mall(mall)
        .filter(Q(username=username) | Q(staff_no=username))
        .exclude(staff_no="", username="")
        .first()
    )
    if staff is None:
        raise _bad_pin()
    with transaction.atomic():
        record = ClockPin.objects.select_for_update().filter(staff=staff).first()
        if record is None:
            raise _bad_pin()
        recent = record.pin_failed_at is not None and now - record.pin_failed_at < (
            datetime.timedelta(seconds=PIN_LOCK_SECONDS)
        )
        failures = record.pin_failures if recent else 0
        locked = failures >= PIN_FAILURE_LIMIT
        accepted = not locked and check_password(pin, record.pin_hash)
        if not locked and not accepted:
            # Committed before the refusal is raised, outside this block.
            record.pin_failures = failures + 1
            record.pin_failed_at = now
            record.save(update_fields=["pin_failures", "pin_failed_at"])
        elif accepted and record.pin_failures:
            record.pin_failures = 0
            record.save(update_fields=["pin_failures"])
    if locked:
        raise ValidationError(
            _(
                "Too many wrong PINs for this staff number. Wait 15 minutes or log in with your own account."
            ),
            code="pin_locked",
        )
    if not accepted:
        raise _bad_pin()
    return clock_record(staff=staff, mall=mall, kind=kind, via=ClockEvent.Via.PIN, ip=ip, now=now)


# --- off post (离岗登记) ----------------------------------------------------


@transaction.atomic
def off_post_start(
    *,
    actor: User,
    mall: Mall,
    post: Post,
    reason: str,
    covered_by: User | None = None,
    now: datetime.datetime | None = None,
) -> OffPostRecord:
    """The staff member records leaving their post; the flag falls due when
    the mall's limit passes."""
    now = _now(now)
    _require(post.mall_id == mall.pk, _("Wrong mall."), "mall", "post")
    _require(
        covered_by is None or covered_by.pk != actor.pk,
        _("Pick a colleague."),
        "self_cover",
        "covered_by",
    )
    _require(
        not OffPostRecord.objects.filter(staff=actor, back_at__isnull=True).exists(),
        _("You are already off post."),
        "already_off",
    )
    record = OffPostRecord(
        mall=mall,
        staff=actor,
        post=post,
        reason=reason,
        covered_by=covered_by,
        out_at=now,
        flag_due_at=now + datetime.timedelta(minutes=policy_for(mall).off_post_limit_minutes),
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def off_post_return(
    *, actor: User, record: OffPostRecord, now: datetime.datetime | None = None
) -> OffPostRecord:
    """Back on post. An absence longer than the limit is flagged even if the
    dispatcher had not run yet."""
    now = _now(now)
    record = OffPostRecord.objects.select_for_update().get(pk=record.pk)
    _require(
        actor.pk == record.staff_id or has_role(actor, *APPROVERS),
        _("Not allowed."),
        "forbidden",
    )
    _require(record.back_at is None, _("Already back on post."), "already_back")
    record.back_at = now
    fields = ["back_at"]
    if record.flagged_at is None and now > record.flag_due_at:
        record.flagged_at = now
        fields.append("flagged_at")
    record.save(update_fields=fields)
    return record


def off_post_flag_due(*, now: datetime.datetime | None = None, batch: int = 200) -> int:
    """The beat dispatcher: flag every open off-post record past its limit.
    Rows are claimed with SKIP LOCKED so two workers never flag one twice."""
    now = _now(now)
    with transaction.atomic():
        due = list(
            OffPostRecord.objects.select_for_update(skip_locked=True)
            .filter(back_at__isnull=True, flagged_at__isnull=True, flag_due_at__lte=now)
            .order_by("flag_due_at")[:batch]
        )
        for record in due:
            record.flagged_at = now
            record.save(update_fields=["flagged_at"])
    return len(due)


# --- inspections and training (考核 / 培训) --------------------------------


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    mall: Mall,
    staff: User,
    date: datetime.date,
    discipline: int,
    attitude: int,
    appearance: int,
    skills: int,
    note: str = "",
) -> Inspection:
    """The supervisor's daily check of one person; one a day, the latest
    entry of the day replaces the earlier one."""
    _require_approver(actor)
    _require(actor.pk != staff.pk, _("You cannot inspect yourself."), "self", "staff")
    _require(
        staff_of_mall(mall).filter(pk=staff.pk).exists(),
        _("This person does not work at this mall."),
        "not_mall_staff",
        "staff",
    )
    inspection = Inspection.objects.select_for_update().filter(staff=staff, date=date).first()
    inspection = inspection or Inspection(mall=mall, staff=staff, date=date)
    inspection.inspector = actor
    values: dict[str, Any] = {
        "discipline": discipline,
        "attitude": attitude,
        "appearance": appearance,
        "skills": skills,
        "note": note,
    }
    for name, value in values.items():
        setattr(inspection, name, value)
    inspection.full_clean()
    inspection.save()
    return inspection


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
    _require_approver(actor)
    _require(bool(attendees), _("Pick at least one attendee."), "no_attendees", "attendees")
    session = TrainingSession(mall=mall, topic=topic, date=date, trainer=trainer, recorded_by=actor)
    session.full_clean()
    session.save()
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(mall=mall, session=session, staff=person) for person in attendees]
    )
    return session


# --- shift handover (交接班) -------------------------------------------------


def _require_staff_of(actor: User, mall: Mall) -> None:
    _require(mall.pk in user_mall_ids(actor), _("You do not work at this mall."), "wrong_mall")


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

    now = _now(now)
    _require_staff_of(actor, mall)
    _require(post.mall_id == mall.pk, _("Wrong mall."), "mall", "post")
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
    now = _now(now)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    _require_staff_of(actor, handover.mall)
    _require(handover.acknowledged_at is None, _("Already taken over."), "acknowledged")
    _require(
        actor.pk != handover.outgoing_staff_id,
        _("The incoming colleague acknowledges a handover, not the one handing over."),
        "own_handover",
    )
    handover.incoming_staff = actor
    handover.acknowledged_at = now
    handover.save(update_fields=["incoming_staff", "acknowledged_at"])
    return handover


# --- office supplies (办公用品) ----------------------------------------------


@transaction.atomic
def supply_item_create(
    *, actor: User | None, mall: Mall, code: str, name: str, unit: str = "个"
) -> SupplyItem:
    item = SupplyItem(mall=mall, code=code, name=name, unit=unit)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def supply_allowance_set(
    *, actor: User | None, post: Post, item: SupplyItem, monthly_quantity: int
) -> SupplyAllowance:
    """Set a post's expected monthly use (预损耗量) of an item."""
    _require(post.mall_id == item.mall_id, _("Wrong mall."), "mall", "item")
    allowance, _created = SupplyAllowance.objects.select_for_update().get_or_create(
        post=post,
        item=item,
        defaults={"mall_id": post.mall_id, "monthly_quantity": monthly_quantity},
    )
    if allowance.monthly_quantity != monthly_quantity:
        allowance.monthly_quantity = monthly_quantity
        allowance.save(update_fields=["monthly_quantity"])
    return allowance


@transaction.atomic
def supply_requisition_create(
    *,
    actor: User,
    mall: Mall,
    post: Post,
    item: SupplyItem,
    quantity: int,
    reason: str,
    now: datetime.datetime | None = None,
) -> SupplyRequisition:
    """A staff member asks for supplies for their post; a supervisor decides."""
    now = _now(now)
    _require_staff_of(actor, mall)
    _require(post.mall_id == mall.pk, _("Wrong mall."), "mall", "post")
    _require(item.mall_id == mall.pk and item.is_active, _("Unknown item."), "item", "item")
    _require(quantity is not None and quantity >= 1, _("At least one."), "quantity", "quantity")
    requisition = SupplyRequisition(
        mall=mall,
        post=post,
        item=item,
        quantity=quantity,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=now,
    )
    requisition.full_clean()
    requisition.save()
    return requisition


def _lock_requisition(requisition: SupplyRequisition) -> SupplyRequisition:
    return SupplyRequisition.objects.select_for_update().get(pk=requisition.pk)


def _decide_requisition(
    *, actor: User, requisition: SupplyRequisition, state: str, note: str, now
) -> SupplyRequisition:
    _require_approver(actor)
    requisition = _lock_requisition(requisition)
    requisition.transition_to(state)
    requisition.decided_by = actor
    requisition.decided_at = _now(now)
    requisition.decision_note = note.strip()
    requisition.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return requisition


@transaction.atomic
def supply_requisition_approve(
    *,
    actor: User,
    requisition: SupplyRequisition,
    note: str = "",
    now: datetime.datetime | None = None,
) -> SupplyRequisition:
    return _decide_requisition(
        actor=actor,
        requisition=requisition,
        state=SupplyRequisition.State.APPROVED,
        note=note,
        now=now,
    )


@transaction.atomic
def supply_requisition_reject(
    *,
    actor: User,
    requisition: SupplyRequisition,
    note: str = "",
    now: datetime.datetime | None = None,
) -> SupplyRequisition:
    return _decide_requisition(
        actor=actor,
        requisition=requisition,
        state=SupplyRequisition.State.REJECTED,
        note=note,
        now=now,
    )


@transaction.atomic
def supply_requisition_issue(
    *, actor: User, requisition: SupplyRequisition, now: datetime.datetime | None = None
) -> SupplyRequisition:
    """Record that the approved supplies were handed out; from now on they
    count against the post's expected use of the month issued."""
    _require_approver(actor)
    requisition = _lock_requisition(requisition)
    requisition.transition_to(SupplyRequisition.State.ISSUED)
    requisition.issued_by = actor
    requisition.issued_at = _now(now)
    requisition.save(update_fields=["state", "issued_by", "issued_at"])
    return requisition
