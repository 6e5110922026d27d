"""Follow-up campaigns (回访活动): their settings, the members they target
and the daily planner that turns them into call tasks."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.clock import day_bounds
from mallservice.guards import require_same_mall
from mallservice.models import Mall
from members.expiry import members_with_points_expiring
from members.models import CallTask, Campaign, Member, PlannerRun
from members.permissions import ADD_CAMPAIGN, CHANGE_CAMPAIGN
from members.selectors import call_assignees_for


def local_at(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def into_window(campaign: Campaign, when: datetime.datetime) -> datetime.datetime:
    """Move `when` into the campaign's calling window (no calls outside it)."""
    local = timezone.localtime(when)
    if local.time() < campaign.window_start:
        return local_at(local.date(), campaign.window_start)
    if local.time() >= campaign.window_end:
        return local_at(local.date() + datetime.timedelta(days=1), campaign.window_start)
    return when


def campaign_segment(*, campaign: Campaign, day: datetime.date):
    """The members a campaign targets on `day`, before consent filtering;
    "points expiring within N days" counts from `day`."""
    qs = Member.objects.filter(mall_id=campaign.mall_id, status=Member.Status.ACTIVE)
    if campaign.min_tier_id:
        qs = qs.filter(tier__rank__gte=campaign.min_tier.rank)
    if campaign.min_balance:
        qs = qs.filter(points_balance__gte=campaign.min_balance)
    if campaign.kind == Campaign.Kind.BIRTHDAY:
        qs = qs.filter(birthday__month=day.month)
    elif campaign.birthday_month:
        qs = qs.filter(birthday__month=campaign.birthday_month)
    if campaign.visited_within_days:
        since = local_at(day, datetime.time()) - datetime.timedelta(
            days=campaign.visited_within_days
        )
        qs = qs.filter(last_visit_at__gte=since)
    if campaign.expiring_within_days:
        qs = qs.filter(
            pk__in=members_with_points_expiring(
                mall_id=campaign.mall_id, day=day, days=campaign.expiring_within_days
            )
        )
    return qs


@transaction.atomic
def campaign_plan(
    *, campaign: Campaign, day: datetime.date | None = None, now: datetime.datetime | None = None
) -> PlannerRun:
    """Create today's call tasks for one campaign. Idempotent: the campaign
    row lock serialises concurrent planners and the unique constraint per
    campaign/member/period makes a second run create nothing. Members without
    callback consent or on do-not-call are skipped and counted.

    Calls go only to the staff on duty that day (`call_assignees_for`), at
    most CALLS_PER_STAFF_PER_DAY each, counting the calls of every campaign
    they already have for the day; a member already called that day or
    waiting for a call of another campaign is left for a later day, so no
    member is called twice in a day. The members left over by the cap are
    planned on a later day of the period."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    run = PlannerRun(mall_id=campaign.mall_id, campaign=campaign, day=day, at=now)
    if (
        not campaign.is_active
        or day < campaign.starts_on
        or (campaign.ends_on and day > campaign.ends_on)
    ):
        run.save()
        return run
    # The planners of one mall's campaigns run one at a time: each counts
    # the staff's calls and the members' other calls the previous one made.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PLAN_LOCK, campaign.mall_id])
    period = campaign.period_start(day)
    segment = campaign_segment(campaign=campaign, day=day)
    run.skipped_do_not_call = segment.filter(do_not_call=True).count()
    run.skipped_no_consent = segment.filter(do_not_call=False, consent_callback=False).count()
    eligible = segment.filter(do_not_call=False, consent_callback=True).order_by()
    run.already_planned = CallTask.objects.filter(
        campaign=campaign, period=period, origin=CallTask.Origin.PLANNED
    ).count()
    start, end = day_bounds(day)
    slots = _call_slots(
        staff=[user.pk for user in call_assignees_for(mall_id=campaign.mall_id, day=day)],
        start=start,
        end=end,
    )
    if not slots:
        run.save()
        return run
    due = max(local_at(day, campaign.window_start), into_window(campaign, now))
    segment_sql, segment_params = eligible.values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            PLAN_SQL.format(eligible=segment_sql),
            [
                campaign.mall_id,
                campaign.pk,
                period,
                due,
                slots,
                *segment_params,
                campaign.pk,
                period,
                campaign.pk,
                start,
                end,
                len(slots),
            ],
        )
        run.created = cursor.rowcount
    run.save()
    return run


def _call_slots(*, staff: list[int], start: datetime.datetime, end: datetime.datetime) -> list[int]:
    """The assignee of each call the planner may still create for the day:
    every person in `staff` (least loaded first) in turn, each until they
    hold CALLS_PER_STAFF_PER_DAY calls for the day — open calls due by its
    end, and calls due during it already made."""
    if not staff:
        return []
    held = dict(
        CallTask.objects.filter(assignee_id__in=staff, due_at__lt=end)
        .filter(Q(status=CallTask.Status.PENDING) | Q(due_at__gte=start))
        .values_list("assignee_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    free = {pk: max(CALLS_PER_STAFF_PER_DAY - held.get(pk, 0), 0) for pk in staff}
    slots: list[int] = []
    while any(free.values()):
        for pk in staff:
            if free[pk]:
                slots.append(pk)
                free[pk] -= 1
    return slots


# Most follow-up calls one person is given for a day, over all campaigns
# (settings MEMBERS_CALLS_PER_STAFF_PER_DAY): about an hour and a half of
# calls beside the counter's own work.
CALLS_PER_STAFF_PER_DAY = getattr(settings, "MEMBERS_CALLS_PER_STAFF_PER_DAY", 40)


# pg_advisory_xact_lock's first key: the members planner (the second is the mall).
PLAN_LOCK = 0x4D50


# The planner's insert, one statement whatever the segment's size (100,000
# VIP members: no model instances in Python). Members take the day's free
# slots in turn (least loaded staff first) up to their number; a member
# already called today, or waiting for another campaign's call, is left out.
# The unique constraint settles any race.
PLAN_SQL = """
INSERT INTO members_calltask (mall_id, campaign_id, member_id, period, origin, due_at,
    assignee_id, status, attempts, last_outcome, closed_at, parent_id)
SELECT %s, %s, e.id, %s, 'planned', %s, (%s::bigint[])[e.n],
       'pending', 0, '', NULL, NULL
FROM (
    SELECT x.id, row_number() OVER (ORDER BY x.id) AS n
    FROM ({eligible}) AS x (id)
    WHERE NOT EXISTS (
        SELECT 1 FROM members_calltask t
        WHERE t.campaign_id = %s AND t.member_id = x.id AND t.period = %s
          AND t.origin = 'planned'
    )
    AND NOT EXISTS (
        SELECT 1 FROM members_calltask o
        WHERE o.member_id = x.id AND o.campaign_id <> %s
          AND (o.status = 'pending' OR (o.due_at >= %s AND o.due_at < %s))
    )
) AS e
WHERE e.n <= %s
ON CONFLICT (campaign_id, member_id, period) WHERE origin = 'planned' DO NOTHING
"""


def campaigns_plan_all(*, now: datetime.datetime | None = None) -> list[PlannerRun]:
    """The daily planner: every running campaign, each in its own transaction."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    ids = Campaign.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), is_active=True, starts_on__lte=day
    ).values_list("pk", flat=True)
    return [campaign_plan(campaign=Campaign(pk=pk), day=day, now=now) for pk in ids]


CAMPAIGN_FIELDS = (
    "name",
    "kind",
    "script",
    "min_tier",
    "min_balance",
    "birthday_month",
    "visited_within_days",
    "expiring_within_days",
    "period_days",
    "window_start",
    "window_end",
    "max_attempts",
    "retry_minutes",
    "starts_on",
    "ends_on",
    "is_active",
)


@transaction.atomic
def campaign_save(
    *, actor: Any, mall: Mall, campaign: Campaign | None = None, **fields: Any
) -> Campaign:
    """Create or edit a follow-up campaign (supervisors). The next planner
    run uses the new settings; calls already planned stay as they are."""
    if not actor.has_perm(CHANGE_CAMPAIGN if campaign else ADD_CAMPAIGN):
        raise ValidationError(_("Only a supervisor can manage campaigns."), code="needs_supervisor")
    if campaign is None:
        campaign = Campaign(mall=mall)
    else:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    for name, value in fields.items():
        if name not in CAMPAIGN_FIELDS:
            raise TypeError(name)
        setattr(campaign, name, value)
    if campaign.min_tier_id:
        require_same_mall(campaign.mall_id, campaign.min_tier, field="min_tier")
    campaign.full_clean()
    campaign.save()
    return campaign
