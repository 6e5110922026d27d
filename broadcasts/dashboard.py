"""The broadcast room's panel on the supervisor dashboard (issue 8):
announcements to approve and repeats due, missing-person cases (and police
calls overdue), routine broadcasts missed today, screen messages live and
awaiting approval. A fixed number of queries, whatever the data."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from broadcasts import selectors
from broadcasts.models import Announcement, MissingPersonCase, RoutineAiring
from broadcasts.permissions import (
    VIEW_ANNOUNCEMENT,
    VIEW_MISSINGPERSONCASE,
    VIEW_ROUTINEAIRING,
    VIEW_SCREENMESSAGE,
)
from mallservice.clock import local_date
from mallservice.dashboard import Figure, Panel, list_url
from mallservice.models import Mall


def _level(count: int, level: str) -> str:
    return level if count else "ok"


def panels(*, user: Any, malls: list[Mall], now: datetime.datetime) -> list[Panel]:
    mall_ids = [mall.pk for mall in malls]
    result: list[Panel] = []
    if user.has_perm(VIEW_MISSINGPERSONCASE):
        cases = (
            selectors.missing_case_list(user=user)
            .filter(mall_id__in=mall_ids)
            .aggregate(
                open=Count("pk", filter=Q(state=MissingPersonCase.State.OPEN)),
                police=Count("pk", filter=selectors.police_overdue_q(now)),
            )
        )
        url = "broadcasts:case_list"
        result.append(
            Panel(
                title=_("Missing persons"),
                # An open case outranks every other figure on the page.
                order=5 if cases["open"] else 40,
                figures=[
                    Figure(
                        _("Missing-person cases open"),
                        cases["open"],
                        list_url(url, malls, state="open"),
                        _level(cases["open"], "warning"),
                    ),
                    Figure(
                        _("Police call overdue"),
                        cases["police"],
                        list_url(url, malls, police="overdue"),
                        _level(cases["police"], "danger"),
                    ),
                ],
            )
        )
    figures: list[Figure] = []
    if user.has_perm(VIEW_ANNOUNCEMENT):
        pending = selectors.pending_announcements(user=user).filter(mall_id__in=mall_ids).count()
        due = [
            announcement
            for announcement in selectors.announcement_queue(user=user, now=now)
            if announcement.mall_id in mall_ids and announcement.next_due_at <= now
        ]
        figures += [
            Figure(
                _("Announcements awaiting approval"),
                pending,
                list_url(
                    "broadcasts:announcement_list",
                    malls,
                    state=Announcement.State.PENDING_APPROVAL,
                ),
                _level(pending, "warning"),
            ),
            Figure(
                _("Repeats due now"),
                len(due),
                reverse("broadcasts:queue"),
                _level(len(due), "warning"),
            ),
        ]
    if user.has_perm(VIEW_ROUTINEAIRING):
        missed = (
            selectors.routine_airing_list(user=user)
            .filter(
                mall_id__in=mall_ids,
                state=RoutineAiring.State.MISSED,
                day=local_date(now),
            )
            .count()
        )
        figures.append(
            Figure(
                _("Routine broadcasts missed today"),
                missed,
                list_url("broadcasts:routine_log", malls, state="missed", day="today"),
                _level(missed, "danger"),
            )
        )
    if user.has_perm(VIEW_SCREENMESSAGE):
        url = "broadcasts:message_list"
        waiting = (
            selectors.screen_message_list(user=user)
            .filter(selectors.awaiting_approval_q(), mall_id__in=mall_ids)
            .count()
        )
        live = selectors.live_message_ids(user=user, now=now, mall_ids=mall_ids)
        figures += [
            Figure(_("Screen messages live now"), len(live), list_url(url, malls, live="now")),
            Figure(
                _("Screen messages awaiting approval"),
                waiting,
                list_url(url, malls, state="awaiting"),
                _level(waiting, "warning"),
            ),
        ]
    if figures:
        result.append(Panel(title=_("Broadcasts and screens"), order=40, figures=figures))
    return result
