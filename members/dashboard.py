"""The members app's panel on the supervisor dashboard (issue 8): today's
follow-up calls, campaigns behind, cards stuck at a stage, points
adjustments to approve and 30 days of call completion.

A fixed number of aggregate queries, whatever the number of records."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.clock import today_bounds
from mallservice.dashboard import (
    Chart,
    Figure,
    Panel,
    cached_slow_figure,
    cached_trend,
    list_url,
)
from mallservice.models import Mall
from members import selectors
from members.models import CallTask
from members.permissions import VIEW_CAMPAIGN

TREND_DAYS = 30


def panels(*, user: Any, malls: list[Mall], now: datetime.datetime) -> list[Panel]:
    if not user.has_perm(VIEW_CAMPAIGN):
        return []
    mall_ids = [mall.pk for mall in malls]
    tasks = selectors.call_task_list(user=user).filter(mall_id__in=mall_ids)
    due_today, done_today, overdue = (
        selectors.call_filter_q(show, now) for show in ("due_today", "done_today", "overdue")
    )

    # Overdue calls are among those due today; the filter lets each half
    # read its own index (pending by due time, closed by closing time).
    today = tasks.filter(due_today | done_today)
    totals = today.aggregate(
        due=Count("pk", filter=due_today),
        done=Count("pk", filter=done_today),
        overdue=Count("pk", filter=overdue),
    )
    by_staff = list(
        today.values("assignee__pk", "assignee__display_name", "assignee__username")
        .annotate(due=Count("pk", filter=due_today), done=Count("pk", filter=done_today))
        .order_by("assignee__display_name", "assignee__pk")
    )
    behind = list(
        tasks.filter(overdue)
        .values("campaign__pk", "campaign__name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "campaign__name")
    )
    stuck_cards, no_card = selectors.cards_stuck(user=user, now=now)
    # Each member of the no-card window is a probe of the card index (about
    # 4,000 a mall at benchmark volume, 20 ms): counted once in a while.
    stuck = cached_slow_figure(
        "members-stuck",
        user=user,
        malls=malls,
        now=now,
        build=lambda: (
            stuck_cards.filter(mall_id__in=mall_ids).count()
            + no_card.filter(mall_id__in=mall_ids).count()
        ),
    )
    adjustments = selectors.adjustment_pending_list(user=user).filter(mall_id__in=mall_ids).count()

    supervision = reverse("members:supervision")
    calls = Panel(
        title=_("Follow-up calls today"),
        order=30,
        figures=[
            Figure(
                _("Calls due today"),
                totals["due"],
                list_url("members:call_list", malls, show="due_today"),
            ),
            Figure(
                _("Calls done today"),
                totals["done"],
                list_url("members:call_list", malls, show="done_today"),
            ),
            Figure(
                _("Overdue calls"),
                totals["overdue"],
                list_url("members:call_list", malls, show="overdue"),
                level="danger" if totals["overdue"] else "ok",
            ),
            Figure(
                _("Campaigns behind"),
                len(behind),
                list_url("members:call_list", malls, show="overdue"),
                level="warning" if behind else "ok",
            ),
        ],
        rows=[
            (
                row["assignee__display_name"] or row["assignee__username"] or _("Unassigned"),
                _("%(done)s done · %(due)s to call") % {"done": row["done"], "due": row["due"]},
            )
            for row in by_staff
        ]
        + [
            (
                _("Behind: %(campaign)s") % {"campaign": row["campaign__name"]},
                _("%(count)s overdue") % {"count": row["overdue"]},
            )
            for row in behind
        ],
        charts=[
            cached_trend(
                "members-calls",
                user=user,
                malls=malls,
                now=now,
                build=lambda: _completion_chart(tasks, now),
            )
        ],
    )
    cards = Panel(
        title=_("Members and cards"),
        order=35,
        figures=[
            Figure(
                _("Cards stuck at a stage"),
                stuck,
                f"{supervision}#stuck-cards",
                level="warning" if stuck else "ok",
            ),
            Figure(
                _("Points adjustments to approve"),
                adjustments,
                f"{supervision}#adjustments",
                level="warning" if adjustments else "ok",
            ),
        ],
    )
    return [calls, cards]


def _completion_chart(tasks, now: datetime.datetime) -> Chart:
    """Per day over the last 30 days: calls due that day and the share done."""
    first_day = timezone.localdate(now) - datetime.timedelta(days=TREND_DAYS - 1)
    since = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time()))
    end = today_bounds(now)[1]
    rows = (
        tasks.filter(due_at__gte=since, due_at__lt=end)
        .exclude(status=CallTask.Status.CANCELLED)
        .annotate(day=TruncDate("due_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=CallTask.Status.DONE)))
        .order_by("day")
    )
    by_day = {row["day"]: row for row in rows}
    days = [first_day + datetime.timedelta(days=n) for n in range(TREND_DAYS)]
    completion = []
    for day in days:
        row = by_day.get(day)
        completion.append(round(100 * row["done"] / row["total"]) if row else None)
    return Chart(
        title=_("Call completion, last 30 days (%)"),
        kind="line",
        labels=[f"{day:%m-%d}" for day in days],
        datasets=[{"label": _("Completion (%)"), "data": completion, "spanGaps": True}],
    )
