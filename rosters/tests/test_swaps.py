from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from rosters.models import Assignment, SwapRequest
from rosters.services.roster import assignment_set, post_qualify
from rosters.services.swaps import (
    swap_request_accept,
    swap_request_approve,
    swap_request_create,
    swap_request_reject,
)
from rosters.tests.conftest import acting, at, last_event

pytestmark = pytest.mark.django_db


def _shifts(week, desk_user, colleague, day_offset=0, other_offset=None):
    day = week.week_start + datetime.timedelta(days=day_offset)
    other_day = week.week_start + datetime.timedelta(
        days=day_offset if other_offset is None else other_offset
    )
    return (
        Assignment.objects.get(staff=desk_user, date=day),
        Assignment.objects.get(staff=colleague, date=other_day),
    )


def test_swap_needs_acceptance_then_approval_and_swaps_both_in_one_go(
    published_week, desk_user, colleague, supervisor_user
):
    # given desk_user (A on Monday) asks colleague (C on Monday) to swap
    mine, theirs = _shifts(published_week, desk_user, colleague)
    with acting(desk_user):
        swap = swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="看病")
    # then nothing changes yet, and the supervisor cannot approve before acceptance
    with pytest.raises(ValidationError) as exc, acting(supervisor_user):
        swap_request_approve(actor=supervisor_user, swap=swap)
    assert exc.value.code == "invalid_transition"
    mine.refresh_from_db()
    assert mine.staff == desk_user
    # when the colleague accepts
    with acting(colleague):
        swap = swap_request_accept(actor=colleague, swap=swap)
    assert swap.state == SwapRequest.State.AWAITING_SUPERVISOR
    mine.refresh_from_db()
    assert mine.staff == desk_user
    # and the supervisor approves
    with acting(supervisor_user):
        swap = swap_request_approve(actor=supervisor_user, swap=swap, note="同意")
    # then both shifts changed hands (same day: deferred uniqueness allows it)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.staff == colleague and theirs.staff == desk_user
    assert mine.source == theirs.source == Assignment.Source.SWAP
    assert mine.swap == theirs.swap == swap
    # and the audit trail names the supervisor for the change of hands
    event = last_event(mine)
    assert event.pgh_context["user"] == supervisor_user.pk
    assert last_event(swap).pgh_data["state"] == "approved"


def test_only_the_colleague_asked_can_accept(
    published_week, desk_user, colleague, broadcaster_user
):
    mine, theirs = _shifts(published_week, desk_user, colleague)
    swap = swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="家事")
    for intruder in (desk_user, broadcaster_user):
        with pytest.raises(ValidationError) as exc:
            swap_request_accept(actor=intruder, swap=swap)
        assert exc.value.code == "not_counterpart"


def test_desk_staff_cannot_approve_and_people_in_the_swap_cannot_either(
    published_week, desk_user, colleague
):
    mine, theirs = _shifts(published_week, desk_user, colleague)
    swap = swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="家事")
    swap_request_accept(actor=colleague, swap=swap)
    with pytest.raises(ValidationError) as exc:
        swap_request_approve(actor=colleague, swap=swap)
    assert exc.value.code == "not_supervisor"


def test_rejected_swap_changes_nothing(published_week, desk_user, colleague, supervisor_user):
    mine, theirs = _shifts(published_week, desk_user, colleague, 1)
    swap = swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="x")
    swap_request_accept(actor=colleague, swap=swap)
    swap = swap_request_reject(actor=supervisor_user, swap=swap, note="人手不足")
    assert swap.state == SwapRequest.State.REJECTED
    mine.refresh_from_db()
    assert mine.staff == desk_user
    with pytest.raises(ValidationError):
        swap_request_approve(actor=supervisor_user, swap=swap)


def test_past_shifts_cannot_be_swapped(published_week, desk_user, colleague):
    mine, theirs = _shifts(published_week, desk_user, colleague)
    later = at(published_week.week_start, 12)
    with pytest.raises(ValidationError) as exc:
        swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="x", now=later)
    assert exc.value.code == "past_shift"


def test_approval_rechecks_the_time_so_a_started_shift_is_refused(
    published_week, desk_user, colleague, supervisor_user
):
    mine, theirs = _shifts(published_week, desk_user, colleague, 2)
    swap = swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="x")
    swap_request_accept(actor=colleague, swap=swap)
    with pytest.raises(ValidationError) as exc:
        swap_request_approve(
            actor=supervisor_user, swap=swap, now=mine.starts_at + datetime.timedelta(minutes=1)
        )
    assert exc.value.code == "past_shift"
    mine.refresh_from_db()
    assert mine.staff == desk_user


def test_both_must_be_qualified_for_the_others_post(
    published_week, mall, roster, supervisor_user, desk_user, next_monday
):
    # given a newcomer only qualified for the mailroom, on a mailroom shift on Saturday
    newcomer = make_staff(role=Role.DESK, mall=mall, username="newbie")
    post_qualify(actor=supervisor_user, post=roster["posts"]["mailroom"], staff=newcomer)
    published_week.state = "draft"
    published_week.save()
    saturday = next_monday + datetime.timedelta(days=5)
    theirs = assignment_set(
        actor=supervisor_user,
        mall=mall,
        staff=newcomer,
        date=saturday,
        shift_type=roster["shifts"]["A"],
        post=roster["posts"]["mailroom"],
    )
    published_week.state = "published"
    published_week.save()
    theirs = Assignment.objects.get(pk=theirs.pk)
    mine = Assignment.objects.get(staff=desk_user, date=next_monday)
    # when desk_user asks to swap the desk shift for it, then it is refused
    with pytest.raises(ValidationError) as exc:
        swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="x")
    assert exc.value.code == "not_qualified"


def test_swap_keeps_the_minimum_rest(published_week, desk_user, colleague, supervisor_user):
    # given desk_user on A (08:30) Tuesday and colleague on C (until 21:00) Monday;
    # swapping desk_user's Tuesday A for colleague's Monday C means desk_user
    # works C on Monday (already has A on Monday: same day) → refused
    mine, theirs = _shifts(published_week, desk_user, colleague, 1, 0)
    with pytest.raises(ValidationError) as exc:
        swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="x")
    assert exc.value.code == "min_rest"


def test_one_open_swap_per_shift(published_week, desk_user, colleague):
    mine, theirs = _shifts(published_week, desk_user, colleague, 3)
    swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="x")
    with pytest.raises(ValidationError) as exc:
        swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="again")
    assert exc.value.code == "open_swap_exists"


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_approving_at_once_swap_only_once(
    published_week, desk_user, colleague, supervisor_user, mall
):
    # given an accepted swap and two supervisors clicking approve together
    other_supervisor = make_staff(role=Role.SUPERVISOR, mall=mall, username="sup2")
    mine, theirs = _shifts(published_week, desk_user, colleague, 4)
    swap = swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="x")
    swap_request_accept(actor=colleague, swap=swap)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def approve(actor):
        try:
            barrier.wait()
            swap_request_approve(actor=actor, swap=swap, now=timezone.now())
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(u,)) for u in (supervisor_user, other_supervisor)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one approval went through and the people swapped once
    assert sorted(results) == ["invalid_transition", "ok"]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.staff == colleague and theirs.staff == desk_user
