"""Today's work from the roster: a missing or unpublished roster for next
week, swaps and leave waiting for a decision, flagged off-post absences,
undeclared absences to explain or review, flagged clock-ins;
staff meals: ordering before the cut-off, the day's list still to send,
late changes to decide."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.home import TodayItem
from mallservice.selectors import request_mall
from rosters import permissions as perms
from rosters.meals.selectors import (
    is_rostered,
    meal_change_request_list,
    meal_day_state,
    meal_totals,
)
from rosters.models import (
    ClockFlag,
    LeaveRequest,
    MealChangeRequest,
    MealOrder,
    SwapRequest,
    UndeclaredAbsence,
    Week,
)
from rosters.selectors.clock_flags import clock_flag_list
from rosters.selectors.leave import leave_list
from rosters.selectors.off_post import off_post_list
from rosters.selectors.roster import publish_deadline, week_start_of
from rosters.selectors.spot_checks import undeclared_absence_list
from rosters.selectors.swaps import swap_list


def today(user: Any) -> list[TodayItem]:
    items: list[TodayItem] = []
    waiting_me = (
        swap_list(user=user)
        .filter(counterpart=user, state=SwapRequest.State.AWAITING_COUNTERPART)
        .count()
    )
    if waiting_me:
        items.append(
            TodayItem(_("Swap requests for you to answer"), waiting_me, reverse("rosters:swaps"))
        )
    items += _meal_items(user)
    items += _spot_check_items(user)
    if not user.has_perm(perms.PLAN_WEEK):
        return items
    mall = request_mall(user)
    if mall is not None:
        now = timezone.now()
        next_start = week_start_of(timezone.localdate(now)) + datetime.timedelta(days=7)
        week = Week.objects.filter(mall=mall, week_start=next_start).first()
        if week is None or not week.is_published:
            overdue = now > publish_deadline(mall=mall, week_start=next_start)
            label = (
                _("Next week's roster is missing")
                if week is None
                else _("Next week's roster is not published")
            )
            items.append(
                TodayItem(
                    label,
                    1,
                    reverse("rosters:week") + f"?date={next_start:%Y-%m-%d}",
                    urgent=overdue,
                )
            )
    swaps = swap_list(user=user).filter(state=SwapRequest.State.AWAITING_SUPERVISOR).count()
    if swaps:
        items.append(TodayItem(_("Shift swaps to approve"), swaps, reverse("rosters:swaps")))
    leave = leave_list(user=user).filter(state__in=LeaveRequest.OPEN_STATES).count()
    if leave:
        items.append(TodayItem(_("Leave requests to decide"), leave, reverse("rosters:leave")))
    flagged = (
        off_post_list(user=user).filter(back_at__isnull=True, flagged_at__isnull=False).count()
    )
    if flagged:
        items.append(
            TodayItem(_("Off post too long"), flagged, reverse("rosters:offpost"), urgent=True)
        )
    return items


def _meal_items(user: Any) -> list[TodayItem]:
    """员工订餐: "order your meal before 10:00" for staff on today's roster
    who have not ordered; each meal list past its cut-off and not sent, for
    the desk; late changes waiting, for supervisors."""
    items: list[TodayItem] = []
    mall = request_mall(user)
    if mall is None:
        return items
    now = timezone.now()
    today = timezone.localdate(now)
    url = reverse("rosters:meals")
    states = None
    if (
        user.has_perm(perms.ADD_MEALORDER)
        and is_rostered(staff=user, mall=mall, day=today)
        and not MealOrder.objects.filter(staff=user, date=today).exists()
    ):
        states = meal_day_state(mall=mall, day=today, now=now)
        still_open = [s for s in states.values() if s.is_open]
        if still_open:
            cutoff = timezone.localtime(still_open[0].cutoff)
            items.append(
                TodayItem(
                    _("Order your meal before %(time)s") % {"time": f"{cutoff:%H:%M}"}, 1, url
                )
            )
    if user.has_perm(perms.SEND_MEALSHEET):
        states = states or meal_day_state(mall=mall, day=today, now=now)
        unsent = [s for s in states.values() if s.past_cutoff and not s.sent]
        totals = meal_totals(mall=mall, day=today) if unsent else {}
        for state in unsent:
            if totals[state.meal]:
                items.append(
                    TodayItem(
                        _("The %(meal)s list is not yet sent to the canteen")
                        % {"meal": state.label},
                        totals[state.meal],
                        reverse("rosters:meal_list") + f"?mall={mall.pk}",
                        urgent=True,
                    )
                )
    if user.has_perm(perms.APPROVE_MEALCHANGEREQUEST):
        waiting = (
            meal_change_request_list(user=user)
            .filter(state=MealChangeRequest.State.PENDING)
            .exclude(staff=user)
            .count()
        )
        if waiting:
            items.append(
                TodayItem(
                    _("Late meal changes to approve"),
                    waiting,
                    reverse("rosters:meal_list") + f"?mall={mall.pk}",
                )
            )
    return items


def _spot_check_items(user: Any) -> list[TodayItem]:
    """离岗未报: the person's own absences awaiting their explanation; for
    supervisors, the explanations waiting for a decision and the flagged
    clock-ins to review."""
    items: list[TodayItem] = []
    url = reverse("rosters:absences")
    State = UndeclaredAbsence.State
    # One query for both counts (the home page's query count stays flat).
    counts = undeclared_absence_list(user=user).aggregate(
        mine=Count("pk", filter=Q(staff=user, state=State.AWAITING_EXPLANATION)),
        waiting=Count("pk", filter=Q(state=State.EXPLAINED) & ~Q(staff=user)),
    )
    if counts["mine"]:
        items.append(
            TodayItem(
                _("Undeclared absences to explain"),
                counts["mine"],
                f"{url}?state={State.AWAITING_EXPLANATION}",
                urgent=True,
            )
        )
    if user.has_perm(perms.REVIEW_CLOCKFLAG):
        flagged = clock_flag_list(user=user).filter(state=ClockFlag.State.OPEN).count()
        if flagged:
            items.append(
                TodayItem(
                    _("Clock-ins from unknown devices to review"),
                    flagged,
                    reverse("rosters:clock_flags") + "?state=open",
                )
            )
    if counts["waiting"] and user.has_perm(perms.REVIEW_UNDECLAREDABSENCE):
        items.append(
            TodayItem(
                _("Explanations of undeclared absences to review"),
                counts["waiting"],
                f"{url}?state={State.EXPLAINED}",
            )
        )
    return items
