from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, connection, transaction

from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from rosters.models import Assignment, Week
from rosters.selectors.roster import (
    coverage,
    min_cover,
    publish_deadline,
    week_grid,
)
from rosters.services.roster import (
    assignment_set,
    post_hour_minimum_set,
    roster_policy_set,
    week_copy_previous,
    week_get_or_create,
    week_publish,
)
from rosters.tests.conftest import acting, at, last_event

pytestmark = pytest.mark.django_db


def test_min_cover_counts_the_thinnest_moment_of_the_slot():
    # given a slot 14:00–15:00 with shift A ending 14:30 and C starting 14:30
    day = datetime.date(2026, 11, 30)
    a = (at(day, 8, 30), at(day, 14, 30))
    c = (at(day, 14, 30), at(day, 21))
    b = (at(day, 11), at(day, 18))
    # then one person is always there with A and C, two with B as well
    assert min_cover([a, c], at(day, 14), at(day, 15)) == 1
    assert min_cover([a, b, c], at(day, 14), at(day, 15)) == 2
    # and a slot half covered is a gap
    assert min_cover([a], at(day, 14), at(day, 15)) == 0
    assert min_cover([], at(day, 10), at(day, 11)) == 0


def test_overnight_shift_ends_the_next_day(roster):
    night = roster["shifts"]["N"]
    starts, ends = night.bounds(datetime.date(2026, 11, 30))
    assert night.overnight
    assert starts == at(datetime.date(2026, 11, 30), 22)
    assert ends == at(datetime.date(2026, 12, 1), 6)


def test_coverage_highlights_hours_below_the_minimum(published_week, roster, supervisor_user):
    # given the desk needs two people and A (8:30–14:30) + C (14:30–21:00)
    grid = week_grid(user=supervisor_user, week=published_week)
    desk = next(r for r in grid["coverage_rows"] if r["post"].code == "desk")
    monday = {hour: cells[0] for hour, cells in desk["hours"]}
    # then every opening hour (10–22) on Monday has one person: a gap
    assert monday[10].count == 1 and monday[10].gap
    assert monday[21].count == 0
    # and the weekend has nobody
    saturday = {hour: cells[5] for hour, cells in desk["hours"]}
    assert saturday[12].count == 0 and saturday[12].gap
    assert grid["gaps"] > 0


def test_coverage_is_met_when_enough_staff_are_on(
    mall, roster, supervisor_user, desk_user, colleague, next_monday
):
    # given two people on B (11–18) at the broadcast room, minimum 1
    post = roster["posts"]["broadcast"]
    shifts = []
    for person in (desk_user, colleague):
        with acting(supervisor_user):
            shifts.append(
                assignment_set(
                    actor=supervisor_user,
                    mall=mall,
                    staff=person,
                    date=next_monday,
                    shift_type=roster["shifts"]["B"],
                    post=post,
                )
            )
    result = coverage(mall=mall, days=[next_monday], posts=[post], assignments=shifts)
    cells = {c.hour: c for c in result[post.pk][next_monday]}
    assert cells[11].count == 2 and not cells[11].gap
    assert cells[10].gap and cells[18].gap


def test_overnight_shift_of_the_day_before_counts_for_the_morning(
    mall, roster, supervisor_user, desk_user, next_monday
):
    # given a mall open from 05:00 and a night shift on Sunday
    mall.opens_at = datetime.time(5, 0)
    mall.save()
    post = roster["posts"]["mailroom"]
    sunday = next_monday - datetime.timedelta(days=1)
    with acting(supervisor_user):
        night = assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=desk_user,
            date=sunday,
            shift_type=roster["shifts"]["N"],
            post=post,
        )
    result = coverage(mall=mall, days=[next_monday], posts=[post], assignments=[night])
    cells = {c.hour: c.count for c in result[post.pk][next_monday]}
    assert cells[5] == 1 and cells[6] == 0


def test_assignment_needs_a_qualified_person(mall, roster, supervisor_user, next_monday):
    # given a new desk member with no qualification
    newcomer = make_staff(role=Role.DESK, mall=mall, username="newbie")
    # when the supervisor puts them at the broadcast room, then it is refused
    with pytest.raises(ValidationError) as exc, acting(supervisor_user):
        assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=newcomer,
            date=next_monday,
            shift_type=roster["shifts"]["A"],
            post=roster["posts"]["broadcast"],
        )
    assert exc.value.error_dict["post"][0].code == "not_qualified"


def test_assignment_keeps_the_minimum_rest(mall, roster, supervisor_user, desk_user, next_monday):
    # given a night shift on Monday ending Tuesday 06:00
    with acting(supervisor_user):
        assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=desk_user,
            date=next_monday,
            shift_type=roster["shifts"]["N"],
            post=roster["posts"]["desk"],
        )
        # when an A shift (08:30) is planned on Tuesday, then 2.5 h rest is refused
        with pytest.raises(ValidationError) as exc:
            assignment_set(
                actor=supervisor_user,
                mall=mall,
                staff=desk_user,
                date=next_monday + datetime.timedelta(days=1),
                shift_type=roster["shifts"]["A"],
                post=roster["posts"]["desk"],
            )
    assert exc.value.error_dict["shift_type"][0].code == "min_rest"


def test_desk_staff_cannot_plan(mall, roster, desk_user, next_monday):
    with pytest.raises(ValidationError) as exc:
        assignment_set(
            actor=desk_user,
            mall=mall,
            staff=desk_user,
            date=next_monday,
            shift_type=roster["shifts"]["A"],
            post=roster["posts"]["desk"],
        )
    assert exc.value.code == "not_supervisor"


def test_publish_records_who_and_when_and_freezes_the_week(
    published_week, supervisor_user, roster, mall, desk_user, next_monday
):
    # then the week is published with its actor in the audit trail
    assert published_week.state == Week.State.PUBLISHED
    assert published_week.published_by == supervisor_user
    event = last_event(published_week)
    assert event.pgh_data["state"] == "published"
    assert event.pgh_context["user"] == supervisor_user.pk
    # and the supervisor cannot edit it any more
    with pytest.raises(ValidationError) as exc, acting(supervisor_user):
        assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=desk_user,
            date=next_monday,
            shift_type=roster["shifts"]["B"],
            post=roster["posts"]["desk"],
        )
    assert exc.value.code == "week_published"


def test_empty_week_cannot_be_published(mall, supervisor_user, next_monday):
    week = week_get_or_create(actor=supervisor_user, mall=mall, day=next_monday)
    with pytest.raises(ValidationError) as exc:
        week_publish(actor=supervisor_user, week=week)
    assert exc.value.code == "empty_week"


def test_copy_last_week_fills_the_new_week(published_week, supervisor_user, next_monday):
    # given next week published, when the week after is copied from it
    following = week_get_or_create(
        actor=supervisor_user,
        mall=published_week.mall,
        day=next_monday + datetime.timedelta(days=7),
    )
    with acting(supervisor_user):
        copied = week_copy_previous(actor=supervisor_user, week=following)
    # then all ten shifts are there, as a draft
    assert copied == 10
    assert following.assignments.count() == 10
    following.refresh_from_db()
    assert following.state == Week.State.DRAFT
    # and copying again adds nothing
    assert week_copy_previous(actor=supervisor_user, week=following) == 0


def test_database_refuses_to_move_a_published_shift_without_an_approved_swap(
    published_week, colleague
):
    # given a published assignment, when a script changes its person directly
    assignment = published_week.assignments.first()
    with pytest.raises(InternalError, match="approved swap"), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(staff=colleague)


def test_database_refuses_two_shifts_a_day(published_week, desk_user):
    assignment = published_week.assignments.filter(staff=desk_user).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        # the constraint is deferred (for same-day swaps): check it now
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        Assignment.objects.create(
            mall=assignment.mall,
            week=assignment.week,
            staff=desk_user,
            date=assignment.date,
            shift_type=assignment.shift_type,
            post=assignment.post,
            starts_at=assignment.starts_at,
            ends_at=assignment.ends_at,
        )


def _on_shift(mall, moment):
    return {a.staff for a in Assignment.objects.on_shift(moment).filter(mall=mall)}


def test_on_shift_is_the_published_assignments_covering_the_moment(
    published_week, desk_user, colleague, next_monday, mall, other_mall
):
    assert _on_shift(mall, at(next_monday, 9)) == {desk_user}
    assert _on_shift(mall, at(next_monday, 14)) == {desk_user}
    assert _on_shift(mall, at(next_monday, 15)) == {colleague}
    assert not _on_shift(mall, at(next_monday, 22))
    assert not _on_shift(other_mall, at(next_monday, 9))


def test_draft_assignments_are_not_on_shift(mall, roster, supervisor_user, desk_user, next_monday):
    with acting(supervisor_user):
        assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=desk_user,
            date=next_monday,
            shift_type=roster["shifts"]["A"],
            post=roster["posts"]["desk"],
        )
    assert not _on_shift(mall, at(next_monday, 9))


def test_publish_deadline_follows_the_policy(mall, supervisor_user, next_monday):
    # default: Thursday of the week before, end of day
    deadline = publish_deadline(mall=mall, week_start=next_monday)
    assert deadline.date() == next_monday - datetime.timedelta(days=4)
    roster_policy_set(actor=supervisor_user, mall=mall, publish_weekday=1)
    assert publish_deadline(
        mall=mall, week_start=next_monday
    ).date() == next_monday - datetime.timedelta(days=6)


def test_an_hour_can_need_more_staff_than_the_rest_of_the_day(
    mall, roster, supervisor_user, desk_user, next_monday
):
    # given the mailroom needs one person, but two at 12:00
    post = roster["posts"]["mailroom"]
    with acting(supervisor_user):
        minimum = post_hour_minimum_set(actor=supervisor_user, post=post, hour=12, min_staff=2)
        shift = assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=desk_user,
            date=next_monday,
            shift_type=roster["shifts"]["B"],
            post=post,
        )
    assert last_event(minimum).pgh_context["user"] == supervisor_user.pk
    # when coverage is computed with one person on B (11–18)
    week = Week.objects.get(mall=mall, week_start=next_monday)
    grid = week_grid(user=supervisor_user, week=week)
    row = next(r for r in grid["coverage_rows"] if r["post"] == post)
    cells = {hour: day_cells[0] for hour, day_cells in row["hours"]}
    # then 11:00 is covered but 12:00 is a gap
    assert not cells[11].gap and cells[12].gap and cells[12].minimum == 2
    assert shift.post == post
