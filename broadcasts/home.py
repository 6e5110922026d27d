from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from broadcasts import selectors
from broadcasts.models import MissingPersonCase, RoutineAiring
from mallservice.home import TodayItem
from mallservice.roles import Role, has_role


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
    if has_role(user, Role.BROADCASTER):
        due = len(selectors.announcement_queue(user=user, now=now))
        if due:
            items.append(TodayItem(_("Announcements to air"), due, reverse("broadcasts:queue")))
    if has_role(user, Role.SUPERVISOR, Role.MANAGER):
        pending = selectors.pending_announcements(user=user).count()
        if pending:
            items.append(
                TodayItem(_("Announcements to approve"), pending, reverse("broadcasts:queue"))
            )
        # New messages and changes to live ones alike wait for a supervisor.
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
        missed = (
            selectors.routine_airing_list(user=user)
            .filter(state=RoutineAiring.State.MISSED, day=timezone.localdate(now))
            .count()
        )
        if missed:
            items.append(
                TodayItem(_("Missed routine broadcasts"), missed, reverse("broadcasts:queue"), True)
            )
    return items
