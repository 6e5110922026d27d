"""Today's work from the roster: a missing or unpublished roster for next
week, swaps and leave waiting for a decision, flagged off-post absences."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.home import TodayItem
from rosters.models import LeaveRequest, SwapRequest, Week
from rosters.selectors import (
    is_supervisor,
    leave_list,
    off_post_list,
    publish_deadline,
    swap_list,
    user_mall,
    week_start_of,
)


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
    if not is_supervisor(user):
        return items
    mall = user_mall(user)
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
