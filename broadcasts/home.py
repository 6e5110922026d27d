from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from broadcasts import selectors
from broadcasts.models import MissingPersonCase, RoutineAiring
from broadcasts.permissions import (
    AIR_ANNOUNCEMENT,
    APPROVE_ANNOUNCEMENT,
    APPROVE_SCREENMESSAGE,
    CHANGE_ROUTINESLOT,
)
from mallservice.clock import local_date
from mallservice.home import TodayItem


def today(user: Any) -> list[TodayItem]:
    items: list[TodayItem] = []
    now = timezone.now()
    open_cases = selectors.missing_case_list(user=user).filter(state=MissingPersonCase.State.OPEN)
    overdue = open_cases.filter(police_called_at__isnull=True, police_due_at__lte=now).count()
    if overdue:
        items.append(
            TodayItem(
                _("Missing person: call the police now"),
                overdue,
                reverse("broadcasts:case_list"),
                urgent=True,
            )
        )
    else:
        count = open_cases.count()
        if count:
            items.append(
                TodayItem(
                    _("Open missing-person cases"), count, reverse("broadcasts:case_list"), True
                )
            )
    if user.has_perm(AIR_ANNOUNCEMENT):
        due = len(selectors.announcement_queue(user=user, now=now))
        if due:
            items.append(TodayItem(_("Announcements to air"), due, reverse("broadcasts:queue")))
    if user.has_perm(APPROVE_ANNOUNCEMENT):
        pending = selectors.pending_announcements(user=user).count()
        if pending:
            items.append(
                TodayItem(_("Announcements to approve"), pending, reverse("broadcasts:queue"))
            )
    # New messages and changes to live ones alike wait for a supervisor.
    if user.has_perm(APPROVE_SCREENMESSAGE):
        screens = (
            selectors.screen_message_list(user=user).filter(selectors.awaiting_approval_q()).count()
        )
        if screens:
            items.append(
                TodayItem(
                    _("Screen messages to approve"),
                    screens,
                    reverse("broadcasts:message_list") + "?state=awaiting",
                )
            )
    if user.has_perm(CHANGE_ROUTINESLOT):
        missed = (
            selectors.routine_airing_list(user=user)
            .filter(state=RoutineAiring.State.MISSED, day=local_date(now))
            .count()
        )
        if missed:
            items.append(
                TodayItem(_("Missed routine broadcasts"), missed, reverse("broadcasts:queue"), True)
            )
    return items
