"""The weekly roster (排班表): the mall's roster rules, shift types, posts
and who may work them, the week and its assignments."""

from __future__ import annotations

import datetime
from typing import ClassVar

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.workflow import StateMachineMixin

# Old migrations name this base class.
TransitionMixin = StateMachineMixin


@audited()
class RosterPolicy(ConstraintMessagesMixin, models.Model):
    """The configurable numbers of one mall's rules; a mall without a row
    uses the defaults below."""

    mall = models.OneToOneField(
        "mallservice.Mall", models.PROTECT, related_name="roster_policy", verbose_name=_("mall")
    )
    publish_weekday = models.PositiveSmallIntegerField(
        _("publish next week by (weekday)"),
        default=3,
        help_text=_("0 = Monday … 6 = Sunday; the roster for next week is due by the end of it."),
    )
    manager_approval_over_days = models.PositiveSmallIntegerField(
        _("leave longer than this many days also needs a manager"), default=3
    )
    sick_leave_late_days = models.PositiveSmallIntegerField(
        _("sick leave may be filed this many days after the fact"), default=3
    )
    off_post_limit_minutes = models.PositiveSmallIntegerField(
        _("off post longer than this many minutes is flagged"), default=30
    )
    min_rest_hours = models.PositiveSmallIntegerField(
        _("minimum rest between shifts (hours)"), default=10
    )
    # 员工订餐: staff order each meal of a day before its cut-off; later
    # changes need a supervisor (issue 10).
    lunch_cutoff = models.TimeField(_("lunch orders close at"), default=datetime.time(10, 0))
    dinner_cutoff = models.TimeField(_("dinner orders close at"), default=datetime.time(15, 0))

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "rosterpolicy_weekday_valid": ("publish_weekday", _("Choose a weekday.")),
        "rosterpolicy_off_post_limit_positive": (
            "off_post_limit_minutes",
            _("At least one minute."),
        ),
    }

    class Meta:
        verbose_name = _("roster policy")
        verbose_name_plural = _("roster policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(publish_weekday__lte=6), name="rosterpolicy_weekday_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(off_post_limit_minutes__gte=1),
                name="rosterpolicy_off_post_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.mall)


@audited()
class ShiftType(ConstraintMessagesMixin, models.Model):
    """早班 / 晚班 or A / B / C. A shift whose end is not after its start
    ends the next day (overnight)."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="shift_types", verbose_name=_("mall")
    )
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=50)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    late_grace_minutes = models.PositiveSmallIntegerField(_("late grace (minutes)"), default=5)
    early_grace_minutes = models.PositiveSmallIntegerField(
        _("early-leave grace (minutes)"), default=5
    )
    is_active = models.BooleanField(_("active"), default=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "shifttype_not_zero_length": ("end", _("A shift must not start and end at the same time.")),
    }

    class Meta:
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")
        ordering = ["mall", "start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="shifttype_code_unique_in_mall"),
            models.CheckConstraint(
                condition=~models.Q(start=models.F("end")), name="shifttype_not_zero_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def bounds(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware start and end of this shift on `day` in the project time
        zone; an overnight shift ends on the next day."""
        tz = timezone.get_default_timezone()
        starts = timezone.make_aware(datetime.datetime.combine(day, self.start), tz)
        end_day = day + datetime.timedelta(days=1) if self.overnight else day
        ends = timezone.make_aware(datetime.datetime.combine(end_day, self.end), tz)
        return starts, ends


@audited()
class Post(models.Model):
    """A place staff are assigned to (front desk, broadcast room, mailroom)."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="roster_posts", verbose_name=_("mall")
    )
    code = models.SlugField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=50)
    min_staff = models.PositiveSmallIntegerField(_("minimum staff each opening hour"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["mall", "code"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="post_code_unique_in_mall"),
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class PostHourMinimum(ConstraintMessagesMixin, models.Model):
    """A different minimum for one opening hour of a post (e.g. two at the
    desk from 12:00 to 14:00); other hours use `Post.min_staff`."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    post = models.ForeignKey(
        Post, models.PROTECT, related_name="hour_minimums", verbose_name=_("post")
    )
    hour = models.PositiveSmallIntegerField(_("hour"), help_text=_("0–23, the hour starting then"))
    min_staff = models.PositiveSmallIntegerField(_("minimum staff"))

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "posthourminimum_hour_valid": ("hour", _("An hour from 0 to 23.")),
    }

    class Meta:
        verbose_name = _("minimum staff for an hour")
        verbose_name_plural = _("minimum staff by hour")
        ordering = ["post", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["post", "hour"], name="posthourminimum_unique"),
            models.CheckConstraint(
                condition=models.Q(hour__lte=23), name="posthourminimum_hour_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.hour}:00 ≥ {self.min_staff}"


@audited()
class PostQualification(models.Model):
    """Staff qualified to work a post; assignments and swaps require it."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    post = models.ForeignKey(
        Post, models.PROTECT, related_name="qualifications", verbose_name=_("post")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="post_qualifications",
        verbose_name=_("staff member"),
    )

    class Meta:
        verbose_name = _("post qualification")
        verbose_name_plural = _("post qualifications")
        constraints = [
            models.UniqueConstraint(fields=["post", "staff"], name="postqualification_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.post_id}"


@audited()
class Week(StateMachineMixin, models.Model):
    """One mall's weekly roster (排班表), Monday to Sunday."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {"draft": {"published"}}

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="roster_weeks", verbose_name=_("mall")
    )
    week_start = models.DateField(_("week starting"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("weekly roster")
        verbose_name_plural = _("weekly rosters")
        ordering = ["mall", "-week_start"]
        permissions = [("plan_week", "Can plan and publish the weekly roster")]
        constraints = [
            models.UniqueConstraint(fields=["mall", "week_start"], name="week_unique_in_mall"),
            # ISO day 1 = Monday: a week always starts on a Monday.
            models.CheckConstraint(
                condition=models.Q(week_start__iso_week_day=1), name="week_starts_monday"
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | models.Q(published_at__isnull=False, published_by__isnull=False),
                name="week_published_has_when_and_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mall} {self.week_start:%Y-%m-%d}"

    @property
    def days(self) -> list[datetime.date]:
        return [self.week_start + datetime.timedelta(days=i) for i in range(7)]

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


# The database refuses to move an assignment of a published roster to
# another person unless an approved swap says so: "an unapproved swap cannot
# happen", even for a script or a shell that skips the service.
_ASSIGNMENT_SWAP_GUARD = pgtrigger.Trigger(
    name="published_change_needs_approved_swap",
    operation=pgtrigger.Update,
    when=pgtrigger.Before,
    condition=pgtrigger.Q(old__staff__df=pgtrigger.F("new__staff")),
    func="""
    IF EXISTS (SELECT 1 FROM rosters_week w WHERE w.id = NEW.week_id AND w.state = 'published')
       AND NOT EXISTS (
           SELECT 1 FROM rosters_swaprequest s
           WHERE s.id = NEW.swap_id AND s.state = 'approved'
             AND NEW.id IN (s.requester_assignment_id, s.counterpart_assignment_id)
       ) THEN
        RAISE EXCEPTION 'rosters: a published assignment changes hands only by an approved swap';
    END IF;
    RETURN NEW;
    """,
)


class AssignmentQuerySet(models.QuerySet):
    def on_shift(self, at: datetime.datetime) -> AssignmentQuerySet:
        """Published shifts covering the moment `at` (who is on duty)."""
        return self.filter(week__state=Week.State.PUBLISHED, starts_at__lte=at, ends_at__gt=at)


@audited()
class Assignment(models.Model):
    """One person on one shift at one post on one day."""

    class Source(models.TextChoices):
        PLAN = "plan", _("planned")
        SWAP = "swap", _("swapped")

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    week = models.ForeignKey(
        Week, models.PROTECT, related_name="assignments", verbose_name=_("weekly roster")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="roster_assignments",
        verbose_name=_("staff member"),
    )
    date = models.DateField(_("date"))
    shift_type = models.ForeignKey(ShiftType, models.PROTECT, verbose_name=_("shift"))
    post = models.ForeignKey(Post, models.PROTECT, verbose_name=_("post"))
    # Denormalised from the shift type so "who is on shift at 15:20" is one
    # indexed range query, overnight shifts included.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.PLAN
    )
    swap = models.ForeignKey("SwapRequest", models.PROTECT, null=True, blank=True, related_name="+")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        ordering = ["date", "starts_at"]
        triggers = [_ASSIGNMENT_SWAP_GUARD]
        constraints = [
            # Deferred so an approved same-day swap can exchange two people
            # inside one transaction.
            models.UniqueConstraint(
                fields=["staff", "date"],
                name="assignment_one_shift_a_day",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="assignment_starts_before_end",
            ),
            models.CheckConstraint(
                condition=models.Q(source="plan") | models.Q(swap__isnull=False),
                name="assignment_swapped_names_its_swap",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "starts_at", "ends_at"], name="assignment_mall_time"),
            models.Index(fields=["staff", "starts_at"], name="assignment_staff_time"),
            # A day or a week of one mall (the grid, the meal list, attendance):
            # without it the whole mall's history is filtered.
            models.Index(fields=["mall", "date"], name="assignment_mall_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%m-%d} {self.shift_type.code} {self.post}"

    def label(self) -> str:
        return (
            f"{self.date:%m-%d} {self.shift_type.code} {timezone.localtime(self.starts_at):%H:%M}"
        )
