"""Staff meal orders (员工订餐): the cut-off rules, sending the list, late
changes through the supervisor, and the monthly counts for payroll.

The published week (conftest): desk_user on A (08:30–14:30) and colleague
on C (14:30–21:00) at the desk Monday to Friday; cut-offs are the defaults,
lunch 10:00 and dinner 15:00."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rosters.meals.selectors import meal_day_list, meal_monthly_counts
from rosters.meals.services import (
    meal_change_request_approve,
    meal_change_request_cancel,
    meal_change_request_create,
    meal_change_request_reject,
    meal_order_set,
    meal_sheet_send,
)
from rosters.models import MealChangeRequest, MealOrder, MealSheet
from rosters.services.leave import leave_request_approve, leave_request_create
from rosters.services.roster import assignment_set, post_qualify, week_get_or_create, week_publish
from rosters.services.swaps import swap_request_accept, swap_request_approve, swap_request_create
from rosters.tests.conftest import acting, at, last_event

pytestmark = pytest.mark.django_db


def _code(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def _order(person, mall, day, *, lunch=True, dinner=False, note="", now):
    with acting(person):
        return meal_order_set(
            actor=person, mall=mall, date=day, lunch=lunch, dinner=dinner, note=note, now=now
        )


def _ask(person, mall, day, *, lunch, dinner, reason="临时加班", now):
    with acting(person):
        return meal_change_request_create(
            actor=person, mall=mall, date=day, lunch=lunch, dinner=dinner, reason=reason, now=now
        )


def test_staff_on_the_roster_order_before_the_cut_off(mall, desk_user, published_week):
    day = published_week.week_start
    # when desk_user ticks lunch and dinner at 09:00
    order = _order(desk_user, mall, day, lunch=True, dinner=True, note="不吃辣", now=at(day, 9))
    # then the order is saved, attributed to them
    order.refresh_from_db()
    assert (order.lunch, order.dinner, order.note) == (True, True, "不吃辣")
    assert order.updated_by == desk_user
    assert last_event(order).pgh_context["user"] == desk_user.pk
    # and they can still drop dinner at 09:59
    _order(desk_user, mall, day, lunch=True, dinner=False, now=at(day, 9, 59))
    order.refresh_from_db()
    assert (order.lunch, order.dinner) == (True, False)


def test_after_the_lunch_cut_off_lunch_is_a_late_change_but_dinner_still_opens(
    mall, desk_user, published_week
):
    day = published_week.week_start
    _order(desk_user, mall, day, lunch=False, dinner=True, now=at(day, 9))
    # when they try to add lunch at 10:00 sharp
    with pytest.raises(ValidationError) as caught:
        _order(desk_user, mall, day, lunch=True, dinner=True, now=at(day, 10))
    # then it is refused next to the lunch field, in Chinese
    assert caught.value.error_dict["lunch"][0].code == "late_change"
    assert "10:00" in caught.value.error_dict["lunch"][0].message
    # and dropping dinner before 15:00 is still their own business
    _order(desk_user, mall, day, lunch=False, dinner=False, now=at(day, 14, 59))
    assert not MealOrder.objects.get(staff=desk_user).dinner
    with pytest.raises(ValidationError) as caught:
        _order(desk_user, mall, day, lunch=False, dinner=True, now=at(day, 15))
    assert "dinner" in caught.value.error_dict


def test_only_staff_rostered_that_day_can_order(
    mall, desk_user, broadcaster_user, supervisor_user, published_week
):
    monday = published_week.week_start
    # the broadcaster is on nobody's roster
    with pytest.raises(ValidationError) as caught:
        _order(broadcaster_user, mall, monday, now=at(monday, 9))
    assert _code(caught.value) == {"not_rostered"}
    assert "排班" in caught.value.error_dict["lunch"][0].message
    # desk_user does not work Saturday
    saturday = monday + datetime.timedelta(days=5)
    with pytest.raises(ValidationError):
        _order(desk_user, mall, saturday, now=at(saturday, 8))
    # nor on a day of approved leave
    tuesday = monday + datetime.timedelta(days=1)
    _order(desk_user, mall, tuesday, now=at(monday, 9))
    leave = leave_request_create(
        actor=desk_user,
        mall=mall,
        kind="personal",
        start_date=tuesday,
        end_date=tuesday,
        reason="办事",
        now=at(monday, 9),
    )
    leave_request_approve(actor=supervisor_user, leave=leave, now=at(monday, 9))
    with pytest.raises(ValidationError):
        _order(desk_user, mall, tuesday, lunch=True, dinner=True, now=at(monday, 10))
    # but the meal ordered before the leave can still be dropped
    _order(desk_user, mall, tuesday, lunch=False, now=at(monday, 10))
    assert not MealOrder.objects.get(staff=desk_user, date=tuesday).lunch
    assert MealOrder.objects.filter(staff=broadcaster_user).count() == 0


def test_a_new_order_must_tick_a_meal(mall, desk_user, published_week):
    day = published_week.week_start
    with pytest.raises(ValidationError) as caught:
        _order(desk_user, mall, day, lunch=False, dinner=False, now=at(day, 8))
    assert _code(caught.value) == {"nothing_ordered"}


def test_the_desk_marks_the_list_sent_with_who_when_and_how_many(
    mall, desk_user, colleague, published_week
):
    day = published_week.week_start
    _order(desk_user, mall, day, lunch=True, dinner=True, now=at(day, 8))
    _order(colleague, mall, day, lunch=True, dinner=False, now=at(day, 9))
    # when the desk sends the lunch list at 10:05
    with acting(desk_user):
        sheet = meal_sheet_send(
            actor=desk_user, mall=mall, date=day, meal="lunch", now=at(day, 10, 5)
        )
    # then who, when and the count are recorded and audited
    assert (sheet.sent_by, sheet.sent_at, sheet.meals_sent) == (desk_user, at(day, 10, 5), 2)
    assert last_event(sheet).pgh_context["user"] == desk_user.pk
    # and it cannot be sent twice, nor a day in advance
    with pytest.raises(ValidationError) as caught:
        meal_sheet_send(actor=desk_user, mall=mall, date=day, meal="lunch", now=at(day, 10, 6))
    assert _code(caught.value) == {"already_sent"}
    tomorrow = day + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        meal_sheet_send(actor=desk_user, mall=mall, date=tomorrow, meal="lunch", now=at(day, 10, 6))
    assert _code(caught.value) == {"future_day"}


def test_a_broadcaster_cannot_mark_the_list_sent(mall, broadcaster_user, published_week):
    day = published_week.week_start
    with pytest.raises(ValidationError):
        meal_sheet_send(actor=broadcaster_user, mall=mall, date=day, meal="lunch", now=at(day, 11))
    assert not MealSheet.objects.exists()


def test_after_the_list_is_sent_a_change_needs_the_supervisor_who_applies_it(
    mall, desk_user, colleague, supervisor_user, published_week
):
    day = published_week.week_start
    _order(desk_user, mall, day, lunch=True, now=at(day, 8))
    # given the dinner list sent early, at 13:00, before its 15:00 cut-off
    meal_sheet_send(actor=desk_user, mall=mall, date=day, meal="dinner", now=at(day, 13))
    # when the colleague tries to add dinner at 13:30
    with pytest.raises(ValidationError) as caught:
        _order(colleague, mall, day, lunch=False, dinner=True, now=at(day, 13, 30))
    assert caught.value.error_dict["dinner"][0].code == "late_change"
    # and asks the supervisor instead
    request = _ask(colleague, mall, day, lunch=False, dinner=True, now=at(day, 13, 31))
    assert (request.lunch, request.dinner, request.state) == (None, True, "pending")
    assert not MealOrder.objects.filter(staff=colleague).exists()
    # then the supervisor's approval creates the order, attributed to them
    with acting(supervisor_user):
        meal_change_request_approve(
            actor=supervisor_user, request=request, note="同意", now=at(day, 13, 40)
        )
    request.refresh_from_db()
    assert (request.state, request.decided_by) == ("approved", supervisor_user)
    order = MealOrder.objects.get(staff=colleague, date=day)
    assert (order.lunch, order.dinner, order.updated_by) == (False, True, supervisor_user)
    assert last_event(order).pgh_context["user"] == supervisor_user.pk
    assert last_event(request).pgh_context["user"] == supervisor_user.pk
    # and the day's list and the month's counts include it
    listed = meal_day_list(user=supervisor_user, mall=mall, day=day)
    assert (listed["lunch"], listed["dinner"]) == (1, 1)
    counts = {r.staff: r for r in meal_monthly_counts(user=supervisor_user, mall=mall, month=day)}
    assert counts[colleague].dinners == 1


def test_a_rejected_late_change_leaves_the_order_as_it_was(
    mall, desk_user, supervisor_user, published_week
):
    day = published_week.week_start
    _order(desk_user, mall, day, lunch=True, now=at(day, 8))
    # after the cut-off desk_user asks to drop lunch
    request = _ask(desk_user, mall, day, lunch=False, dinner=False, now=at(day, 10, 30))
    assert (request.lunch, request.dinner) == (False, None)
    with acting(supervisor_user):
        meal_change_request_reject(
            actor=supervisor_user, request=request, note="已报食堂", now=at(day, 10, 40)
        )
    request.refresh_from_db()
    assert request.state == "rejected" and request.decided_by == supervisor_user
    assert MealOrder.objects.get(staff=desk_user, date=day).lunch
    # and a decided request cannot be approved afterwards
    with pytest.raises(ValidationError):
        meal_change_request_approve(actor=supervisor_user, request=request)


def test_late_change_rules(mall, desk_user, colleague, published_week):
    day = published_week.week_start
    _order(desk_user, mall, day, lunch=True, now=at(day, 8))
    # an open meal is changed directly, not through the supervisor
    with pytest.raises(ValidationError) as caught:
        _ask(desk_user, mall, day, lunch=True, dinner=True, now=at(day, 9))
    assert _code(caught.value) == {"not_late"}
    # asking for what one already has is no change
    with pytest.raises(ValidationError) as caught:
        _ask(desk_user, mall, day, lunch=True, dinner=False, now=at(day, 11))
    assert _code(caught.value) == {"no_change"}
    # one waiting request a day
    _ask(desk_user, mall, day, lunch=False, dinner=False, now=at(day, 11))
    with pytest.raises(ValidationError) as caught:
        _ask(desk_user, mall, day, lunch=False, dinner=True, now=at(day, 16))
    assert _code(caught.value) == {"pending_exists"}
    # desk staff cannot approve, not even a colleague's
    request = MealChangeRequest.objects.get()
    with pytest.raises(ValidationError):
        meal_change_request_approve(actor=colleague, request=request)
    # only the requester cancels
    with pytest.raises(ValidationError):
        meal_change_request_cancel(actor=colleague, request=request)
    meal_change_request_cancel(actor=desk_user, request=request)
    request.refresh_from_db()
    assert request.state == "cancelled"


def test_a_supervisor_cannot_approve_their_own_late_change(
    mall, roster, supervisor_user, manager_user, published_week
):
    # given the supervisor on the roster the week after, ordering late
    monday = published_week.week_start + datetime.timedelta(days=7)
    post_qualify(actor=supervisor_user, post=roster["posts"]["desk"], staff=supervisor_user)
    assignment_set(
        actor=supervisor_user,
        mall=mall,
        staff=supervisor_user,
        date=monday,
        shift_type=roster["shifts"]["B"],
        post=roster["posts"]["desk"],
    )
    week = week_get_or_create(actor=supervisor_user, mall=mall, day=monday)
    week_publish(actor=supervisor_user, week=week)
    request = _ask(supervisor_user, mall, monday, lunch=True, dinner=False, now=at(monday, 11))
    with pytest.raises(ValidationError) as caught:
        meal_change_request_approve(actor=supervisor_user, request=request)
    assert _code(caught.value) == {"own_request"}
    # the database refuses it too, even past the service
    request.state, request.decided_by = "approved", supervisor_user
    request.decided_at = at(monday, 11)
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save()
    # a manager may
    meal_change_request_approve(actor=manager_user, request=request, now=at(monday, 12))
    assert MealOrder.objects.get(staff=supervisor_user).lunch


def test_monthly_counts_per_staff_member(mall, desk_user, colleague, supervisor_user, roster):
    # given two published weeks of a past month and one day of the next
    first_monday = datetime.date(2025, 3, 3)
    days = [first_monday + datetime.timedelta(days=n) for n in (0, 1, 2, 7, 8, 28)]
    for day in days:
        for person, code in ((desk_user, "A"), (colleague, "C")):
            assignment_set(
                actor=supervisor_user,
                mall=mall,
                staff=person,
                date=day,
                shift_type=roster["shifts"][code],
                post=roster["posts"]["desk"],
            )
    for monday in {d - datetime.timedelta(days=d.weekday()) for d in days}:
        week = week_get_or_create(actor=supervisor_user, mall=mall, day=monday)
        week_publish(actor=supervisor_user, week=week)
    # desk_user has lunch every day and dinner on two; colleague dinner on three
    for i, day in enumerate(days):
        _order(desk_user, mall, day, lunch=True, dinner=i < 2, now=at(day, 8))
        if i % 2 == 0:
            _order(colleague, mall, day, lunch=False, dinner=True, now=at(day, 8))
    # and colleague's late dinner on the 4th is approved, another one rejected
    approved = _ask(colleague, mall, days[1], lunch=True, dinner=False, now=at(days[1], 11))
    meal_change_request_approve(actor=supervisor_user, request=approved)
    rejected = _ask(colleague, mall, days[3], lunch=True, dinner=False, now=at(days[3], 11))
    meal_change_request_reject(actor=supervisor_user, request=rejected)
    # when the supervisor counts March 2025 (the 31st, days[5], is in March too)
    rows = meal_monthly_counts(user=supervisor_user, mall=mall, month=datetime.date(2025, 3, 1))
    counts = {r.staff: (r.lunches, r.dinners, r.total) for r in rows}
    assert counts == {desk_user: (6, 2, 8), colleague: (1, 3, 4)}
    # and April has nothing
    assert (
        meal_monthly_counts(user=supervisor_user, mall=mall, month=datetime.date(2025, 4, 1)) == []
    )
    # a desk member without the list permission would only count themselves
    mine = meal_monthly_counts(
        user=desk_user, mall=mall, month=datetime.date(2025, 3, 1), staff=desk_user
    )
    assert [(r.lunches, r.dinners) for r in mine] == [(6, 2)]


def test_the_days_list_groups_by_post_and_shift(
    mall, roster, desk_user, colleague, supervisor_user, published_week
):
    day = published_week.week_start
    _order(desk_user, mall, day, lunch=True, dinner=True, now=at(day, 8))
    result = meal_day_list(user=supervisor_user, mall=mall, day=day)
    groups = [(g.shift_type.code, g.post.code, g.lunch, g.dinner) for g in result["groups"]]
    # A before C, each with its own totals; colleague has not ordered
    assert groups == [("A", "desk", 1, 1), ("C", "desk", 0, 0)]
    assert (result["lunch"], result["dinner"], result["not_ordered"]) == (1, 1, 1)


def test_an_order_of_someone_off_the_roster_that_day_is_listed_apart(
    mall, roster, desk_user, colleague, supervisor_user, published_week
):
    from rosters.models import Assignment

    # given the week after: desk_user on Monday, colleague on Tuesday
    monday = published_week.week_start + datetime.timedelta(days=7)
    tuesday = monday + datetime.timedelta(days=1)
    for person, day, code in ((desk_user, monday, "A"), (colleague, tuesday, "C")):
        assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=person,
            date=day,
            shift_type=roster["shifts"][code],
            post=roster["posts"]["desk"],
        )
    week = week_get_or_create(actor=supervisor_user, mall=mall, day=monday)
    week_publish(actor=supervisor_user, week=week)
    before = at(monday - datetime.timedelta(days=3), 9)
    # desk_user orders Monday's lunch, then swaps Monday for colleague's Tuesday
    _order(desk_user, mall, monday, now=before)
    swap = swap_request_create(
        actor=desk_user,
        mine=Assignment.objects.get(staff=desk_user, date=monday),
        theirs=Assignment.objects.get(staff=colleague, date=tuesday),
        reason="换班",
        now=before,
    )
    swap_request_accept(actor=colleague, swap=swap, now=before)
    swap_request_approve(actor=supervisor_user, swap=swap, now=before)
    # then Monday's list shows the order apart, still counted, for the desk to sort out
    result = meal_day_list(user=supervisor_user, mall=mall, day=monday)
    assert [(g.post.code if g.post else None) for g in result["groups"]] == ["desk", None]
    assert [r.staff for r in result["groups"][-1].rows] == [desk_user]
    assert [r.staff for r in result["groups"][0].rows] == [colleague]
    assert result["lunch"] == 1
