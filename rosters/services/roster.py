"""The weekly roster's writes (排班表): the mall's rules, shift types, posts
and qualifications, assignments, copying and publishing a week."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from rosters import permissions as perms
from rosters.models import (
    Assignment,
    Post,
    PostHourMinimum,
    PostQualification,
    RosterPolicy,
    ShiftType,
    Week,
)
from rosters.selectors.roster import is_qualified, policy_for, staff_of_mall, week_start_of
from rosters.services.rules import (
    require,
    require_permission,
    resolve_now,
)


@transaction.atomic
def roster_policy_set(*, actor: User, mall: Mall, **values: int) -> RosterPolicy:
    """Create or update the mall's configurable rules."""
    require_permission(actor, perms.PLAN_WEEK)
    policy, _created = RosterPolicy.objects.select_for_update().get_or_create(mall=mall)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def shift_type_create(
    *,
    actor: User,
    mall: Mall,
    code: str,
    name: str,
    start: datetime.time,
    end: datetime.time,
    late_grace_minutes: int = 5,
    early_grace_minutes: int = 5,
) -> ShiftType:
    shift = ShiftType(
        mall=mall,
        code=code,
        name=name,
        start=start,
        end=end,
        late_grace_minutes=late_grace_minutes,
        early_grace_minutes=early_grace_minutes,
    )
    shift.full_clean()
    shift.save()
    return shift


@transaction.atomic
def post_create(*, actor: User, mall: Mall, code: str, name: str, min_staff: int = 1) -> Post:
    post = Post(mall=mall, code=code, name=name, min_staff=min_staff)
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def post_hour_minimum_set(*, actor: User, post: Post, hour: int, min_staff: int) -> PostHourMinimum:
    """Set the minimum staff of `post` for the opening hour starting at `hour`."""
    require_permission(actor, perms.PLAN_WEEK)
    require(0 <= hour <= 23, _("An hour is 0 to 23."), "hour", "hour")
    minimum, _created = PostHourMinimum.objects.select_for_update().get_or_create(
        post=post, hour=hour, defaults={"mall": post.mall, "min_staff": min_staff}
    )
    if minimum.min_staff != min_staff:
        minimum.min_staff = min_staff
        minimum.save(update_fields=["min_staff"])
    return minimum


@transaction.atomic
def post_qualify(*, actor: User, post: Post, staff: User) -> PostQualification:
    """Record that `staff` may work `post` (idempotent)."""
    require(
        staff_of_mall(post.mall).filter(pk=staff.pk).exists(),
        _("This person does not work at this mall."),
        "not_mall_staff",
    )
    qualification, _created = PostQualification.objects.get_or_create(
        post=post, staff=staff, defaults={"mall": post.mall}
    )
    return qualification


@transaction.atomic
def week_get_or_create(*, actor: User, mall: Mall, day: datetime.date) -> Week:
    """The roster of the week containing `day`, created as a draft if new."""
    week, _created = Week.objects.get_or_create(mall=mall, week_start=week_start_of(day))
    return week


def rest_conflict(
    *,
    staff: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    date: datetime.date,
    exclude: list[int],
    min_rest: datetime.timedelta,
) -> Assignment | None:
    """Another shift of `staff` on the same day, or closer than the minimum
    rest to [starts_at, ends_at)."""
    return (
        Assignment.objects.filter(staff=staff)
        .exclude(pk__in=exclude)
        .filter(
            Q(date=date) | Q(starts_at__lt=ends_at + min_rest, ends_at__gt=starts_at - min_rest)
        )
        .select_related("shift_type")
        .first()
    )


@transaction.atomic
def assignment_set(
    *,
    actor: User,
    mall: Mall,
    staff: User,
    date: datetime.date,
    shift_type: ShiftType,
    post: Post,
    replace: bool = False,
) -> Assignment:
    """Put `staff` on `shift_type` at `post` on `date` in the draft roster of
    that week. A person has one shift a day: their shift of that day is
    replaced only when the planner says so (`replace`), else refused."""
    require_permission(actor, perms.PLAN_WEEK)
    week = Week.objects.select_for_update().get(
        pk=week_get_or_create(actor=actor, mall=mall, day=date).pk
    )
    require(
        not week.is_published,
        _("This week is published; changes go through an approved swap."),
        "week_published",
    )
    require(shift_type.mall_id == mall.pk and post.mall_id == mall.pk, _("Wrong mall."), "mall")
    require(
        staff_of_mall(mall).filter(pk=staff.pk).exists(),
        _("This person does not work at this mall."),
        "not_mall_staff",
        "staff",
    )
    require(
        is_qualified(staff=staff, post=post),
        _("%(name)s is not qualified for %(post)s.") % {"name": staff, "post": post},
        "not_qualified",
        "post",
    )
    starts_at, ends_at = shift_type.bounds(date)
    existing = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(staff=staff, date=date)
        .select_related("shift_type", "post")
        .first()
    )
    # A second shift used to replace the first without a word (issue 25).
    require(
        existing is None or replace,
        _(
            "%(name)s already has shift %(shift)s at %(post)s on %(date)s. "
            "Tick “Replace their shift of that day” to change it."
        )
        % {
            "name": staff,
            "shift": existing.shift_type.code if existing else "",
            "post": existing.post if existing else "",
            "date": f"{date:%m-%d}",
        },
        "already_rostered",
        "staff",
    )
    conflict = rest_conflict(
        staff=staff,
        starts_at=starts_at,
        ends_at=ends_at,
        date=date,
        exclude=[existing.pk] if existing else [],
        min_rest=datetime.timedelta(hours=policy_for(mall).min_rest_hours),
    )
    require(
        conflict is None,
        _("Too little rest between this shift and the one on %(date)s.")
        % {"date": conflict.date if conflict else ""},
        "min_rest",
        "shift_type",
    )
    assignment = existing or Assignment(mall=mall, week=week, staff=staff, date=date)
    assignment.shift_type = shift_type
    assignment.post = post
    assignment.starts_at, assignment.ends_at = starts_at, ends_at
    assignment.save()
    return assignment


@transaction.atomic
def assignment_clear(*, actor: User, mall: Mall, staff: User, date: datetime.date) -> int:
    """Remove `staff`'s shift on `date` from a draft roster."""
    require_permission(actor, perms.PLAN_WEEK)
    week = (
        Week.objects.select_for_update().filter(mall=mall, week_start=week_start_of(date)).first()
    )
    if week is None:
        return 0
    require(
        not week.is_published,
        _("This week is published; changes go through an approved swap."),
        "week_published",
    )
    deleted, _detail = Assignment.objects.filter(week=week, staff=staff, date=date).delete()
    return deleted


@transaction.atomic
def week_copy_previous(*, actor: User, week: Week) -> int:
    """Copy last week's assignments into this draft week, day by day, for
    staff who have no shift that day yet and are still qualified. Returns how
    many were copied."""
    require_permission(actor, perms.PLAN_WEEK)
    week = Week.objects.select_for_update().get(pk=week.pk)
    require(not week.is_published, _("This week is already published."), "week_published")
    previous = (
        Assignment.objects.filter(
            mall=week.mall, week__week_start=week.week_start - datetime.timedelta(days=7)
        )
        .select_related("shift_type", "post", "staff")
        .order_by("date", "starts_at")
    )
    copied = 0
    for old in previous:
        day = old.date + datetime.timedelta(days=7)
        if Assignment.objects.filter(staff=old.staff, date=day).exists():
            continue
        if not (old.shift_type.is_active and old.post.is_active):
            continue
        try:
            with transaction.atomic():
                assignment_set(
                    actor=actor,
                    mall=week.mall,
                    staff=old.staff,
                    date=day,
                    shift_type=old.shift_type,
                    post=old.post,
                )
        except ValidationError:
            continue  # someone no longer qualified or rested: leave the cell empty
        copied += 1
    return copied


@transaction.atomic
def week_publish(*, actor: User, week: Week, now: datetime.datetime | None = None) -> Week:
    """Publish the roster: staff see it, and from now on it changes only
    through approved swaps."""
    require_permission(actor, perms.PLAN_WEEK)
    week = Week.objects.select_for_update().get(pk=week.pk)
    require(week.assignments.exists(), _("The roster is empty."), "empty_week")
    week.transition_to(Week.State.PUBLISHED)
    week.published_at = resolve_now(now)
    week.published_by = actor
    week.save(update_fields=["state", "published_at", "published_by"])
    return week
