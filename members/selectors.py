"""Reads of the members app, always scoped to the requesting user's malls."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Right
from django.utils import timezone

from mallservice.clock import today_bounds
from mallservice.hooks import staffing_rostered
from mallservice.models import Mall, User
from mallservice.roles import Role
from mallservice.selectors import scope_to_user_malls
from members import expiry
from members.models import (
    CallAttempt,
    CallTask,
    Campaign,
    Card,
    Gift,
    Member,
    MemberImport,
    PointsAdjustment,
    PointsEntry,
    Tier,
    TierReviewRun,
)

_HAN = re.compile(r"^[\u3400-\u9fff\u00b7·]{2,}$")


def member_list(*, user: Any) -> QuerySet[Member]:
    return scope_to_user_malls(
        Member.objects.filter(status=Member.Status.ACTIVE).select_related("tier", "mall"),
        user=user,
    )


def member_search(*, user: Any, query: str) -> QuerySet[Member]:
    """The counter search box: card number, full phone, last four digits of
    the phone or a Chinese name (two characters: the name starts with them;
    three or more: the name contains them). Each form uses its
    own index (unique phone, right(phone, 4), card number, name trigram)."""
    text = unicodedata.normalize("NFKC", query or "").strip().replace(" ", "")
    members = member_list(user=user)
    if not text:
        return members.none()
    if text.isdigit():
        if len(text) == 4:
            return members.annotate(last4=Right("phone", 4)).filter(last4=text).order_by("name")
        if len(text) == 11 and text.startswith("1"):
            by_phone = members.filter(phone=text)
            if by_phone.exists():
                return by_phone
        card_members = Card.objects.filter(number=text).values("member_id")
        return members.filter(pk__in=card_members)
    if _HAN.match(text):
        # A trigram index serves three characters or more; two characters
        # (a surname and one more) are a prefix, served by a btree.
        lookup = "name__startswith" if len(text) == 2 else "name__contains"
        return members.filter(**{lookup: text}).order_by("name")[:200]
    return members.none()


def member_search_rows(*, user: Any, query: str) -> QuerySet:
    """`member_search` as the rows of a list of hits: dicts of pk, name,
    phone (masked on display), tier_name and points_balance — no model
    instances for a list that only shows them."""
    return member_search(user=user, query=query).values(
        "pk", "name", "phone", "points_balance", tier_name=F("tier__name")
    )


def card_list(*, user: Any) -> QuerySet[Card]:
    return scope_to_user_malls(Card.objects.select_related("member", "batch"), user=user)


# A member still without a card this long after registering is no longer
# waiting at the counter: the old register's imports, e-members who never
# came for one. Each member of the window costs a probe of the card index
# (a week: about 3,000 in a mall of 550,000 members, 15 ms); looking back
# further would read every member of the mall.
NO_CARD_WINDOW_DAYS = 7


def cards_stuck(*, user: Any, now: datetime.datetime | None = None, days: int = 3):
    """For the supervisor: members registered in the last NO_CARD_WINDOW_DAYS
    without a card, cards issued but not entered into the system, lost cards
    not yet frozen — older than `days`."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=days)
    cards = card_list(user=user).filter(
        status__in=[Card.Status.ISSUED, Card.Status.LOST], status_changed_at__lt=before
    )
    no_card = (
        member_list(user=user)
        .filter(
            registered_at__gte=now - datetime.timedelta(days=NO_CARD_WINDOW_DAYS),
            registered_at__lt=before,
        )
        .exclude(cards__status__in=Card.CURRENT)
    )
    return cards.order_by("status_changed_at"), no_card.order_by("registered_at")


def points_history(*, member: Member) -> QuerySet[PointsEntry]:
    return member.points_entries.select_related("shop", "gift", "actor").order_by("-at", "-pk")


def points_expiring(
    *, member: Member, now: datetime.datetime | None = None, days: int = expiry.NOTICE_DAYS
) -> tuple[int, datetime.date] | None:
    """(points, last day to use them) for the member's points that expire
    within `days` days, or None. FIFO leaves the newest part of the old lots,
    so the last day is that of the newest lot inside the window."""
    today = timezone.localdate(now or timezone.now())
    cutoff = expiry.expiry_cutoff(today + datetime.timedelta(days=days + 1))
    figures = PointsEntry.objects.filter(member=member).aggregate(
        left=expiry.left_before(cutoff), newest=Max("at", filter=Q(points__gt=0, at__lt=cutoff))
    )
    if not figures["left"] or figures["left"] <= 0:
        return None
    return figures["left"], expiry.last_valid_day(figures["newest"])


def tier_review_last(*, user: Any) -> list[TierReviewRun]:
    """The latest tier evaluation of each of the user's malls."""
    runs = scope_to_user_malls(TierReviewRun.objects.select_related("mall"), user=user)
    return list(runs.order_by("mall_id", "-at").distinct("mall_id"))


def gift_list(*, user: Any) -> QuerySet[Gift]:
    return scope_to_user_malls(Gift.objects.filter(is_active=True), user=user)


def tier_list(*, user: Any) -> QuerySet[Tier]:
    return scope_to_user_malls(Tier.objects.all(), user=user)


def adjustment_pending_list(*, user: Any) -> QuerySet[PointsAdjustment]:
    return scope_to_user_malls(
        PointsAdjustment.objects.filter(status=PointsAdjustment.Status.PENDING).select_related(
            "member", "requested_by", "shop"
        ),
        user=user,
    )


def call_assignees_for(*, mall_id: int, day: datetime.date) -> list[User]:
    """Who gets the calls planned for `day`: the mall's active desk staff
    on duty that day by the roster (`mallservice.hooks.staffing_rostered`:
    published, approved leave excluded), least loaded (fewest open calls)
    first. Where no published roster covers the day, every active desk
    person of the mall; where one does and nobody is on duty, nobody (the
    calls wait for a day with staff)."""
    desk = (
        User.objects.filter(
            Q(mall_id=mall_id) | Q(extra_malls__id=mall_id),
            is_active=True,
            groups__name=Role.DESK.value,
        )
        .distinct()
        .annotate(
            open_calls=Count(
                "member_call_tasks", filter=Q(member_call_tasks__status=CallTask.Status.PENDING)
            )
        )
        .order_by("open_calls", "pk")
    )
    rostered = staffing_rostered(mall=Mall(pk=mall_id), day=day)
    if rostered is None:
        return list(desk)
    return list(desk.filter(pk__in=rostered))


def call_task_list(*, user: Any) -> QuerySet[CallTask]:
    return scope_to_user_malls(
        CallTask.objects.select_related("campaign", "member", "member__tier", "assignee"),
        user=user,
    )


def my_calls_today(*, user: Any, now: datetime.datetime | None = None) -> QuerySet[CallTask]:
    """Pending calls assigned to `user` that are due by the end of today."""
    now = now or timezone.now()
    _, end = today_bounds(now)
    return (
        call_task_list(user=user)
        .filter(assignee=user, status=CallTask.Status.PENDING, due_at__lt=end)
        .order_by("due_at")
    )


def call_attempts(*, task: CallTask) -> QuerySet[CallAttempt]:
    return task.call_attempts.select_related("caller").order_by("-at")


def campaign_list(*, user: Any) -> QuerySet[Campaign]:
    return scope_to_user_malls(Campaign.objects.select_related("min_tier", "mall"), user=user)


def call_overdue_q(now: datetime.datetime) -> Q:
    """A call still open a day after it was due is overdue."""
    return Q(status=CallTask.Status.PENDING, due_at__lt=now - datetime.timedelta(days=1))


def call_filter_q(show: str, now: datetime.datetime) -> Q:
    """The dashboard's call figures and the call list's `?show=`:
    `due_today` (open, due by the end of today), `done_today` (completed
    today) or `overdue` (`call_overdue_q`)."""
    start, end = today_bounds(now)
    if show == "due_today":
        return Q(status=CallTask.Status.PENDING, due_at__lt=end)
    if show == "done_today":
        return Q(status=CallTask.Status.DONE, closed_at__gte=start, closed_at__lt=end)
    return call_overdue_q(now)


def campaign_completion(*, user: Any, now: datetime.datetime | None = None):
    """Completion by campaign and by staff, and overdue calls, for supervisors."""
    now = now or timezone.now()
    tasks = call_task_list(user=user)
    closed = ~Q(status=CallTask.Status.PENDING)
    overdue = call_overdue_q(now)
    by_campaign = (
        tasks.values("campaign__pk", "campaign__name")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=closed),
            overdue=Count("pk", filter=overdue),
        )
        .order_by("campaign__name")
    )
    by_staff = (
        tasks.values("assignee__pk", "assignee__display_name", "assignee__username")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=closed),
            overdue=Count("pk", filter=overdue),
        )
        .order_by("assignee__display_name")
    )
    overdue_tasks = tasks.filter(overdue).order_by("due_at")[:100]
    return list(by_campaign), list(by_staff), overdue_tasks


def member_import_list(*, user: Any) -> QuerySet[MemberImport]:
    return scope_to_user_malls(MemberImport.objects.defer("content"), user=user)
