"""Every write of staff meal orders (员工订餐), issue 10: "before a cut-off
time each day, staff on that day's roster tick lunch/dinner (and any note);
the desk … marks it sent; … late changes after the cut-off need the
supervisor."

A meal of a day is open until its cut-off (`RosterPolicy.lunch_cutoff`,
`dinner_cutoff`) or until the desk marks its list sent, whichever comes
first. Staff change an open meal themselves (`meal_order_set`); a closed
one only through a late change a supervisor approves
(`meal_change_request_*`), which then updates the order and so the monthly
counts. Each service runs in one transaction; every write is audited with
its actor by the row history."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from rosters import permissions as perms
from rosters.meals.models import Meal, MealChangeRequest, MealOrder, MealSheet
from rosters.meals.selectors import MealState, is_rostered, meal_day_state, meal_totals
from rosters.services.rules import require, require_permission, require_staff_of, resolve_now


def _lock_meal_day(mall: Mall, day: datetime.date) -> None:
    """Serialise every write of one mall's meals of one day: marking a list
    sent counts the orders, and an order changed at the same moment must
    land either on the list or after it as a late change, never in between.
    (A transaction-scoped advisory lock: there is no row to lock before the
    first order or sheet of the day exists.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"rosters.meals:{mall.pk}:{day}"]
        )


def _closed_message(state: MealState) -> str:
    if state.sent:
        return _("The %(meal)s list was already sent to the canteen.") % {"meal": state.label}
    return _("Orders for %(meal)s closed at %(time)s.") % {
        "meal": state.label,
        "time": timezone.localtime(state.cutoff).strftime("%H:%M"),
    }


def _require_rostered_to_add(
    *, staff: User, mall: Mall, day: datetime.date, adding: bool, field: str | None = None
) -> None:
    # Only staff on that day's roster order; anyone may still drop a meal
    # they had (e.g. leave approved after they ordered).
    if adding:
        require(
            is_rostered(staff=staff, mall=mall, day=day),
            _("Only staff on the roster that day can order meals."),
            "not_rostered",
            field,
        )


@transaction.atomic
def meal_order_set(
    *,
    actor: User,
    mall: Mall,
    date: datetime.date,
    lunch: bool,
    dinner: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> MealOrder:
    """The staff member ticks their own lunch and dinner of `date` (and a
    note). A meal whose cut-off passed or whose list was sent cannot change
    here: that is a late change (`meal_change_request_create`)."""
    now = resolve_now(now)
    require_staff_of(actor, mall)
    _lock_meal_day(mall, date)
    order = MealOrder.objects.filter(staff=actor, date=date).first()
    require(order is None or order.mall_id == mall.pk, _("Wrong mall."), "mall")
    wanted = {Meal.LUNCH: bool(lunch), Meal.DINNER: bool(dinner)}
    current = {meal: bool(order and order.has(meal)) for meal in wanted}
    note = note.strip()
    require(
        order is not None or any(wanted.values()),
        _("Tick lunch or dinner."),
        "nothing_ordered",
        "lunch",
    )
    states = meal_day_state(mall=mall, day=date, now=now)
    for meal, value in wanted.items():
        if value != current[meal]:
            require(states[meal].is_open, _closed_message(states[meal]), "late_change", meal)
    if order is not None and note != order.note:
        require(
            any(s.is_open for s in states.values()),
            _("Both meals of this day are closed; ask for a late change."),
            "late_change",
            "note",
        )
    _require_rostered_to_add(
        staff=actor,
        mall=mall,
        day=date,
        adding=any(v and not current[m] for m, v in wanted.items()),
        field="lunch",
    )
    order = order or MealOrder(mall=mall, staff=actor, date=date)
    order.lunch, order.dinner, order.note = wanted[Meal.LUNCH], wanted[Meal.DINNER], note
    order.updated_at, order.updated_by = now, actor
    order.full_clean()
    order.save()
    return order


@transaction.atomic
def meal_sheet_send(
    *,
    actor: User,
    mall: Mall,
    date: datetime.date,
    meal: str,
    now: datetime.datetime | None = None,
) -> MealSheet:
    """The desk marks the day's list of `meal` sent to the canteen or
    supplier: who, when and how many meals were on it. From now on that
    meal changes only by an approved late change."""
    now = resolve_now(now)
    require(actor.has_perm(perms.SEND_MEALSHEET), _("Not allowed."), "forbidden")
    require_staff_of(actor, mall)
    require(meal in Meal.values, _("Unknown meal."), "meal", "meal")
    require(
        date <= timezone.localdate(now),
        _("A list is sent on its day, not in advance."),
        "future_day",
        "date",
    )
    _lock_meal_day(mall, date)
    require(
        not MealSheet.objects.filter(mall=mall, date=date, meal=meal).exists(),
        _("This list was already sent."),
        "already_sent",
    )
    sheet = MealSheet(
        mall=mall,
        date=date,
        meal=meal,
        sent_at=now,
        sent_by=actor,
        meals_sent=meal_totals(mall=mall, day=date)[meal],
    )
    sheet.full_clean()
    sheet.save()
    return sheet


@transaction.atomic
def meal_change_request_create(
    *,
    actor: User,
    mall: Mall,
    date: datetime.date,
    lunch: bool,
    dinner: bool,
    reason: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> MealChangeRequest:
    """Ask the supervisor for a late change of one's own meals of `date`.
    Only the meals that differ from the order are recorded; at least one of
    them must be closed (an open meal is simply changed)."""
    now = resolve_now(now)
    require_staff_of(actor, mall)
    _lock_meal_day(mall, date)
    order = MealOrder.objects.filter(staff=actor, date=date).first()
    wanted = {Meal.LUNCH: bool(lunch), Meal.DINNER: bool(dinner)}
    changes = {m: v for m, v in wanted.items() if v != bool(order and order.has(m))}
    require(bool(changes), _("This is what you already ordered."), "no_change", "lunch")
    states = meal_day_state(mall=mall, day=date, now=now)
    require(
        any(not states[m].is_open for m in changes),
        _("This meal is still open: change your order directly."),
        "not_late",
        "lunch",
    )
    _require_rostered_to_add(
        staff=actor, mall=mall, day=date, adding=any(changes.values()), field="lunch"
    )
    require(bool(reason.strip()), _("Give a reason."), "reason", "reason")
    require(
        not MealChangeRequest.objects.filter(
            staff=actor, date=date, state=MealChangeRequest.State.PENDING
        ).exists(),
        _("You already asked for a late change of this day."),
        "pending_exists",
    )
    request = MealChangeRequest(
        mall=mall,
        staff=actor,
        date=date,
        lunch=changes.get(Meal.LUNCH),
        dinner=changes.get(Meal.DINNER),
        note=note.strip(),
        reason=reason.strip(),
        requested_at=now,
    )
    request.full_clean()
    request.save()
    return request


def _decide(
    *, actor: User, request: MealChangeRequest, state: str, note: str, now: datetime.datetime
) -> MealChangeRequest:
    """Lock the request and record the supervisor's decision on it."""
    require_permission(actor, perms.APPROVE_MEALCHANGEREQUEST)
    request = MealChangeRequest.objects.select_for_update().get(pk=request.pk)
    require_staff_of(actor, request.mall)
    require(
        actor.pk != request.staff_id,
        _("You cannot decide your own late change."),
        "own_request",
    )
    request.transition_to(state)
    request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return request


@transaction.atomic
def meal_change_request_approve(
    *,
    actor: User,
    request: MealChangeRequest,
    note: str = "",
    now: datetime.datetime | None = None,
) -> MealChangeRequest:
    """The supervisor approves: in the same transaction the order takes the
    wanted meals (created if there was none), so the day's list and the
    monthly counts include it. The order's history names the supervisor."""
    now = resolve_now(now)
    request = _decide(
        actor=actor, request=request, state=MealChangeRequest.State.APPROVED, note=note, now=now
    )
    _lock_meal_day(request.mall, request.date)
    order = MealOrder.objects.select_for_update().filter(
        staff_id=request.staff_id, date=request.date
    ).first() or MealOrder(mall_id=request.mall_id, staff_id=request.staff_id, date=request.date)
    for meal, _label, wanted in request.changes():
        setattr(order, meal, wanted)
    if request.note:
        order.note = request.note
    order.updated_at, order.updated_by = now, actor
    order.full_clean()
    order.save()
    return request


@transaction.atomic
def meal_change_request_reject(
    *,
    actor: User,
    request: MealChangeRequest,
    note: str = "",
    now: datetime.datetime | None = None,
) -> MealChangeRequest:
    """The supervisor refuses; the order stays as it was."""
    return _decide(
        actor=actor,
        request=request,
        state=MealChangeRequest.State.REJECTED,
        note=note,
        now=resolve_now(now),
    )


@transaction.atomic
def meal_change_request_cancel(*, actor: User, request: MealChangeRequest) -> MealChangeRequest:
    request = MealChangeRequest.objects.select_for_update().get(pk=request.pk)
    require(actor.pk == request.staff_id, _("Only the requester can cancel."), "not_requester")
    request.transition_to(MealChangeRequest.State.CANCELLED)
    request.save(update_fields=["state"])
    return request
