"""Reads of staff meal orders (员工订餐), scoped to the requesting user:
the state of a day's meals (open, past the cut-off, list sent), the day's
list per post and shift, and the monthly counts for the payroll deduction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mallservice.clock import month_days
from mallservice.models import Mall, User
from mallservice.selectors import scope_to_user_malls
from rosters import permissions as perms
from rosters.meals.models import Meal, MealChangeRequest, MealOrder, MealSheet
from rosters.models import Assignment, LeaveRequest, Post, RosterPolicy, ShiftType, Week
from rosters.selectors.roster import policy_for, staff_on_shift_on


def meal_order_list(*, user: Any) -> QuerySet[MealOrder]:
    """Whoever sees the day's list sees every order of their malls; other
    staff only their own."""
    qs = scope_to_user_malls(MealOrder.objects.select_related("staff", "updated_by"), user=user)
    return qs if user.has_perm(perms.VIEW_MEALORDER) else qs.filter(staff=user)


def meal_change_request_list(*, user: Any) -> QuerySet[MealChangeRequest]:
    qs = scope_to_user_malls(
        MealChangeRequest.objects.select_related("staff", "decided_by"), user=user
    )
    if user.has_perm(perms.APPROVE_MEALCHANGEREQUEST) or user.has_perm(perms.VIEW_MEALORDER):
        return qs
    return qs.filter(staff=user)


def is_rostered(*, staff: User, mall: Mall, day: datetime.date) -> bool:
    """On the published roster of `mall` that day and not on approved leave."""
    return staff_on_shift_on(mall_id=mall.pk, day=day).filter(pk=staff.pk).exists()


def meal_cutoff(policy: RosterPolicy, day: datetime.date, meal: str) -> datetime.datetime:
    cutoff = policy.lunch_cutoff if meal == Meal.LUNCH else policy.dinner_cutoff
    return timezone.make_aware(
        datetime.datetime.combine(day, cutoff), timezone.get_default_timezone()
    )


@dataclass
class MealState:
    """One meal of one day: its cut-off and the sheet if the list was sent."""

    meal: str
    label: str
    cutoff: datetime.datetime
    sheet: MealSheet | None
    now: datetime.datetime

    @property
    def past_cutoff(self) -> bool:
        return self.now >= self.cutoff

    @property
    def is_open(self) -> bool:
        """Staff may still change it themselves."""
        return not self.past_cutoff and self.sheet is None

    @property
    def sent(self) -> bool:
        return self.sheet is not None


def meal_day_state(
    *, mall: Mall, day: datetime.date, now: datetime.datetime | None = None
) -> dict[str, MealState]:
    """meal → its state on `day` (two queries: the policy and the sheets)."""
    now = now or timezone.now()
    policy = policy_for(mall)
    sheets = {
        s.meal: s for s in MealSheet.objects.filter(mall=mall, date=day).select_related("sent_by")
    }
    return {
        meal: MealState(meal, label, meal_cutoff(policy, day, meal), sheets.get(meal), now)
        for meal, label in Meal.choices
    }


@dataclass
class MealRow:
    staff: User
    order: MealOrder | None
    on_leave: bool = False

    @property
    def lunch(self) -> bool:
        return bool(self.order and self.order.lunch)

    @property
    def dinner(self) -> bool:
        return bool(self.order and self.order.dinner)

    @property
    def ordered(self) -> bool:
        return self.lunch or self.dinner


@dataclass
class MealGroup:
    """The people of one post and shift that day (post and shift are None
    for orders of people no longer on the roster that day)."""

    post: Post | None
    shift_type: ShiftType | None
    rows: list[MealRow] = field(default_factory=list)

    @property
    def lunch(self) -> int:
        return sum(r.lunch for r in self.rows)

    @property
    def dinner(self) -> int:
        return sum(r.dinner for r in self.rows)

    @property
    def ordering_rows(self) -> list[MealRow]:
        return [r for r in self.rows if r.ordered]


def meal_day_list(*, user: Any, mall: Mall, day: datetime.date) -> dict[str, Any]:
    """The day's list: one group per post and shift (in shift order) with
    everybody rostered there and their order, then orders of people not on
    the roster that day; totals per meal. Three queries whatever the size."""
    assignments = list(
        scope_to_user_malls(Assignment.objects.all(), user=user)
        .filter(mall=mall, date=day, week__state=Week.State.PUBLISHED)
        .select_related("staff", "post", "shift_type")
        .order_by("starts_at", "post__code", "staff__staff_no", "staff__username")
    )
    orders = {
        o.staff_id: o
        for o in meal_order_list(user=user)
        .filter(mall=mall, date=day)
        .order_by("staff__staff_no", "staff__username")
    }
    on_leave = set(
        LeaveRequest.objects.filter(
            staff_id__in=[a.staff_id for a in assignments],
            state=LeaveRequest.State.APPROVED,
            start_date__lte=day,
            end_date__gte=day,
        ).values_list("staff_id", flat=True)
    )
    groups: dict[tuple[int, int], MealGroup] = {}
    for a in assignments:
        group = groups.setdefault(
            (a.shift_type_id, a.post_id), MealGroup(post=a.post, shift_type=a.shift_type)
        )
        group.rows.append(MealRow(a.staff, orders.pop(a.staff_id, None), a.staff_id in on_leave))
    result = list(groups.values())
    unrostered = [MealRow(o.staff, o) for o in orders.values() if o.lunch or o.dinner]
    if unrostered:
        result.append(MealGroup(post=None, shift_type=None, rows=unrostered))
    return {
        "groups": result,
        "lunch": sum(g.lunch for g in result),
        "dinner": sum(g.dinner for g in result),
        "not_ordered": sum(1 for g in result for r in g.rows if not r.ordered and not r.on_leave),
    }


def meal_changes_of_day(*, user: Any, mall: Mall, day: datetime.date) -> QuerySet:
    """Late changes of `day` a supervisor decided, in the order decided (the
    desk tells the canteen about those approved after sending)."""
    return (
        meal_change_request_list(user=user)
        .filter(
            mall=mall,
            date=day,
            state__in=[MealChangeRequest.State.APPROVED, MealChangeRequest.State.REJECTED],
        )
        .order_by("decided_at", "pk")
    )


def meal_totals(*, mall: Mall, day: datetime.date) -> dict[str, int]:
    """Meals ordered at `mall` on `day` (one aggregate query), for the
    dashboard, the home page and the sheet's count when sent."""
    return MealOrder.objects.filter(mall=mall, date=day).aggregate(
        lunch=Count("pk", filter=Q(lunch=True)), dinner=Count("pk", filter=Q(dinner=True))
    )


@dataclass
class MealCountRow:
    staff: User
    lunches: int
    dinners: int

    @property
    def total(self) -> int:
        return self.lunches + self.dinners


def meal_monthly_counts(
    *, user: Any, mall: Mall, month: datetime.date, staff: User | None = None
) -> list[MealCountRow]:
    """Per staff member (or only `staff`), the lunches and dinners ordered
    in `month`, approved late changes included, for the payroll deduction.
    Two queries."""
    first, last = month_days(month)
    orders = meal_order_list(user=user).filter(mall=mall, date__gte=first, date__lte=last)
    if staff is not None:
        orders = orders.filter(staff=staff)
    counts = (
        orders.filter(Q(lunch=True) | Q(dinner=True))
        .order_by()
        .values("staff_id")
        .annotate(
            lunches=Count("pk", filter=Q(lunch=True)), dinners=Count("pk", filter=Q(dinner=True))
        )
    )
    counts = list(counts)
    people = User.objects.in_bulk([c["staff_id"] for c in counts])
    rows = [MealCountRow(people[c["staff_id"]], c["lunches"], c["dinners"]) for c in counts]
    return sorted(rows, key=lambda r: (r.staff.staff_no, r.staff.username))


def my_meal_days(
    *, user: Any, mall: Mall, start: datetime.date, days: int = 7
) -> list[dict[str, Any]]:
    """The user's rostered days from `start` with their order of each
    (two queries), for the staff member's own page."""
    end = start + datetime.timedelta(days=days - 1)
    shifts = list(
        Assignment.objects.filter(
            mall=mall,
            staff=user,
            week__state=Week.State.PUBLISHED,
            date__gte=start,
            date__lte=end,
        )
        .select_related("shift_type", "post")
        .order_by("date")
    )
    orders = {
        o.date: o
        for o in MealOrder.objects.filter(staff=user, mall=mall, date__gte=start, date__lte=end)
    }
    return [{"assignment": a, "order": orders.get(a.date)} for a in shifts]
