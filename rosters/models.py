"""Rosters (排班表): shift types, posts, the weekly roster and its
assignments, swaps (调班), leave (请假), clock-ins (打卡), the off-post log
(离岗登记), daily inspections (日常检查) and training (培训)."""

from __future__ import annotations

import datetime
from typing import ClassVar

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import append_only_triggers, audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.uploads import RandomName
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


@audited()
class SwapRequest(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """调班: requester's shift ⇄ a colleague's. The colleague accepts, then a
    supervisor approves; only then do the assignments change hands."""

    class State(models.TextChoices):
        AWAITING_COUNTERPART = "awaiting_counterpart", _("awaiting colleague")
        AWAITING_SUPERVISOR = "awaiting_supervisor", _("awaiting supervisor")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        DECLINED = "declined", _("declined by colleague")
        CANCELLED = "cancelled", _("cancelled")

    OPEN_STATES = ("awaiting_counterpart", "awaiting_supervisor")
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "awaiting_counterpart": {"awaiting_supervisor", "declined", "cancelled"},
        "awaiting_supervisor": {"approved", "rejected", "cancelled"},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requester")
    )
    requester_assignment = models.ForeignKey(
        Assignment, models.PROTECT, related_name="+", verbose_name=_("my shift")
    )
    counterpart = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("colleague")
    )
    counterpart_assignment = models.ForeignKey(
        Assignment, models.PROTECT, related_name="+", verbose_name=_("colleague's shift")
    )
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.AWAITING_COUNTERPART
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "swap_between_two_people": ("counterpart", _("Choose a colleague, not yourself.")),
    }

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at"]
        permissions = [("approve_swaprequest", "Can approve or reject shift swaps")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("counterpart")),
                name="swap_between_two_people",
            ),
            # An approved swap has passed both steps; the database refuses a
            # shortcut straight to "approved".
            models.CheckConstraint(
                condition=~models.Q(state="approved")
                | models.Q(accepted_at__isnull=False, decided_by__isnull=False),
                name="swap_approved_after_acceptance_and_decision",
            ),
            models.UniqueConstraint(
                fields=["requester_assignment"],
                condition=models.Q(state__in=["awaiting_counterpart", "awaiting_supervisor"]),
                name="swap_one_open_request_per_shift",
            ),
        ]
        indexes = [models.Index(fields=["mall", "state"], name="swap_mall_state")]

    def __str__(self) -> str:
        return f"{self.requester_assignment_id} ⇄ {self.counterpart_assignment_id}"


@audited()
class LeaveRequest(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """请假单. The supervisor approves; longer leave also goes to a manager."""

    class Kind(models.TextChoices):
        SICK = "sick", _("sick leave")
        PERSONAL = "personal", _("personal leave")
        ANNUAL = "annual", _("annual leave")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        AWAITING_SUPERVISOR = "awaiting_supervisor", _("awaiting supervisor")
        AWAITING_MANAGER = "awaiting_manager", _("awaiting manager")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    OPEN_STATES = ("awaiting_supervisor", "awaiting_manager")
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "awaiting_supervisor": {"awaiting_manager", "approved", "rejected", "cancelled"},
        "awaiting_manager": {"approved", "rejected", "cancelled"},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="leave_requests",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=300)
    sick_note = models.FileField(
        _("sick note"), upload_to=RandomName("rosters/sick-notes"), blank=True
    )
    needs_manager = models.BooleanField(_("needs a manager"), default=False)
    filed_late = models.BooleanField(_("filed after the fact"), default=False)
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.AWAITING_SUPERVISOR
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by supervisor"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by manager"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "leave_period_in_order": ("end_date", _("The end date must not be before the start date.")),
    }

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at"]
        permissions = [
            ("approve_leaverequest", "Can approve leave as supervisor"),
            ("approve_leaverequest_as_manager", "Can approve long leave as manager"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="leave_period_in_order",
            ),
            # Approved means every level required has signed.
            models.CheckConstraint(
                condition=~models.Q(state="approved")
                | (
                    models.Q(supervisor__isnull=False)
                    & (models.Q(needs_manager=False) | models.Q(manager__isnull=False))
                ),
                name="leave_approved_by_every_level",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "state"], name="leave_mall_state"),
            models.Index(fields=["staff", "start_date", "end_date"], name="leave_staff_period"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.kind} {self.start_date}–{self.end_date}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


@audited(exclude=["pin_hash"])
class ClockPin(models.Model):
    """The PIN a staff member types on the shared desk screen."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    staff = models.OneToOneField(settings.AUTH_USER_MODEL, models.PROTECT, related_name="clock_pin")
    pin_hash = models.CharField(max_length=128)
    # Wrong PINs in a row and when the last was typed: the lock of
    # rosters.services.clock_record_by_pin, one count per person.
    pin_failures = models.PositiveSmallIntegerField(_("wrong PINs"), default=0, db_default=0)
    pin_failed_at = models.DateTimeField(_("last wrong PIN at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock-in PIN")
        verbose_name_plural = _("clock-in PINs")

    def __str__(self) -> str:
        return str(self.staff_id)


class ClockEvent(models.Model):
    """上班打卡 / 下班打卡: an append-only punch log; attendance is computed
    from it, never edited into it."""

    class Kind(models.TextChoices):
        IN = "in", _("clock in")
        OUT = "out", _("clock out")

    class Via(models.TextChoices):
        LOGIN = "login", _("own login")
        PIN = "pin", _("PIN on the shared screen")

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="clock_events",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    via = models.CharField(_("via"), max_length=8, choices=Via.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("clock event")
        verbose_name_plural = _("clock events")
        ordering = ["at"]
        triggers = append_only_triggers()
        indexes = [models.Index(fields=["staff", "at"], name="clockevent_staff_at")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


@audited()
class OffPostRecord(ConstraintMessagesMixin, models.Model):
    """离岗登记: who left which post, why, who covered, when they came back.
    `flag_due_at` is the row the beat dispatcher claims to flag an absence
    that runs past the limit."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="off_post_records",
        verbose_name=_("staff member"),
    )
    post = models.ForeignKey(Post, models.PROTECT, verbose_name=_("post"))
    reason = models.CharField(_("reason"), max_length=200)
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("covering colleague"),
    )
    out_at = models.DateTimeField(_("left at"))
    back_at = models.DateTimeField(_("back at"), null=True, blank=True)
    flag_due_at = models.DateTimeField(_("flag due at"))
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "offpost_not_covering_self": ("covered_by", _("Choose a colleague, not yourself.")),
    }

    class Meta:
        verbose_name = _("off-post record")
        verbose_name_plural = _("off-post records")
        ordering = ["-out_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(back_at__isnull=True)
                | models.Q(back_at__gte=models.F("out_at")),
                name="offpost_back_after_out",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(back_at__isnull=True),
                name="offpost_one_open_per_staff",
            ),
            models.CheckConstraint(
                condition=~models.Q(covered_by=models.F("staff")),
                name="offpost_not_covering_self",
            ),
        ]
        indexes = [
            models.Index(
                fields=["flag_due_at"],
                condition=models.Q(back_at__isnull=True, flagged_at__isnull=True),
                name="offpost_flag_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {timezone.localtime(self.out_at):%m-%d %H:%M}"

    def minutes(self, now: datetime.datetime | None = None) -> int:
        end = self.back_at or now or timezone.now()
        return int((end - self.out_at).total_seconds() // 60)


@audited()
class Inspection(ConstraintMessagesMixin, models.Model):
    """日常检查: the supervisor's daily check of one staff member (考核)."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="inspections",
        verbose_name=_("staff member"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    date = models.DateField(_("date"))
    discipline = models.PositiveSmallIntegerField(_("discipline"))
    attitude = models.PositiveSmallIntegerField(_("attitude"))
    appearance = models.PositiveSmallIntegerField(_("appearance"))
    skills = models.PositiveSmallIntegerField(_("skills"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    SCORE_FIELDS = ("discipline", "attitude", "appearance", "skills")

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "inspection_discipline_1_to_5": ("discipline", _("A score from 1 to 5.")),
        "inspection_attitude_1_to_5": ("attitude", _("A score from 1 to 5.")),
        "inspection_appearance_1_to_5": ("appearance", _("A score from 1 to 5.")),
        "inspection_skills_1_to_5": ("skills", _("A score from 1 to 5.")),
    }

    class Meta:
        verbose_name = _("daily inspection")
        verbose_name_plural = _("daily inspections")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="inspection_one_a_day"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                    name=f"inspection_{f}_1_to_5",
                )
                for f in ("discipline", "attitude", "appearance", "skills")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date}"

    @property
    def total(self) -> int:
        return self.discipline + self.attitude + self.appearance + self.skills


@audited()
class TrainingSession(models.Model):
    """培训: a session with its attendees; the target is two a month."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    topic = models.CharField(pgettext_lazy("training", "topic"), max_length=200)
    date = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=50)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date"]
        indexes = [models.Index(fields=["mall", "date"], name="training_mall_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


@audited()
class TrainingAttendance(models.Model):
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    session = models.ForeignKey(TrainingSession, models.PROTECT, related_name="attendances")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("staff member")
    )

    class Meta:
        verbose_name = _("training attendee")
        verbose_name_plural = _("training attendees")
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="training_attendee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.staff_id}"


@audited()
class Handover(ConstraintMessagesMixin, models.Model):
    """交接班: the outgoing staff member's checklist of what is still open at
    their post (a snapshot of `mallservice.handover.open_items`, stored as
    codes and msgids) plus a note; the incoming staff member acknowledges it."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    post = models.ForeignKey(Post, models.PROTECT, related_name="+", verbose_name=_("post"))
    outgoing_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("handed over by")
    )
    items = models.JSONField(_("checklist"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("handed over at"))
    incoming_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken over by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "handover_between_two_people": ("incoming_staff", _("Choose a colleague, not yourself.")),
    }

    class Meta:
        verbose_name = _("shift handover")
        verbose_name_plural = _("shift handovers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(incoming_staff__isnull=True, acknowledged_at__isnull=True)
                | models.Q(incoming_staff__isnull=False, acknowledged_at__isnull=False),
                name="handover_acknowledged_has_who_and_when",
            ),
            # A handover is between two people.
            models.CheckConstraint(
                condition=~models.Q(incoming_staff=models.F("outgoing_staff")),
                name="handover_between_two_people",
            ),
        ]
        indexes = [
            models.Index(
                fields=["mall", "created_at"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="handover_unacknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


# --- office supplies (办公用品) ----------------------------------------------


@audited()
class SupplyItem(models.Model):
    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(pgettext_lazy("measure", "unit"), max_length=10, default="个")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office supply item")
        verbose_name_plural = _("office supply items")
        ordering = ["mall", "code"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="supplyitem_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class SupplyAllowance(models.Model):
    """预损耗量: how much of an item a post is expected to use in a month."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    post = models.ForeignKey(
        Post, models.PROTECT, related_name="supply_allowances", verbose_name=_("post")
    )
    item = models.ForeignKey(
        SupplyItem, models.PROTECT, related_name="allowances", verbose_name=_("item")
    )
    monthly_quantity = models.PositiveIntegerField(_("expected use per month"))

    class Meta:
        verbose_name = _("expected monthly use")
        verbose_name_plural = _("expected monthly use")
        ordering = ["post", "item"]
        constraints = [
            models.UniqueConstraint(fields=["post", "item"], name="supplyallowance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.item_id} {self.monthly_quantity}"


@audited()
class SupplyRequisition(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """领用单: who asks for what, how many and why; a supervisor approves and
    the issue is recorded. Use counts what was issued."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved, to issue")
        REJECTED = "rejected", _("rejected")
        ISSUED = "issued", _("issued")

    OPEN_STATES = ("requested", "approved")
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "requested": {"approved", "rejected"},
        "approved": {"issued"},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    post = models.ForeignKey(Post, models.PROTECT, related_name="+", verbose_name=_("post"))
    item = models.ForeignKey(
        SupplyItem, models.PROTECT, related_name="requisitions", verbose_name=_("item")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(pgettext_lazy("supplies", "issued at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "supplyrequisition_quantity_positive": ("quantity", _("At least one.")),
    }

    class Meta:
        verbose_name = _("supply requisition")
        verbose_name_plural = _("supply requisitions")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_supplyrequisition", "Can approve and issue office supplies")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="supplyrequisition_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(state="requested")
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="supplyrequisition_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="issued")
                | models.Q(issued_by__isnull=False, issued_at__isnull=False),
                name="supplyrequisition_issued_has_who_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "state"], name="supplyreq_mall_state"),
            models.Index(fields=["mall", "issued_at"], name="supplyreq_mall_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"


# --- staff meals (员工订餐) ---------------------------------------------------


class Meal(models.TextChoices):
    LUNCH = "lunch", pgettext_lazy("staff meal", "lunch")
    DINNER = "dinner", pgettext_lazy("staff meal", "dinner")


@audited()
class MealOrder(models.Model):
    """员工订餐: one staff member's lunch and dinner of one day. A row is
    kept when both are unticked again, so its history shows every change;
    monthly counts for the payroll deduction count the ticks."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="meal_orders",
        verbose_name=_("staff member"),
    )
    date = models.DateField(_("date"))
    lunch = models.BooleanField(pgettext_lazy("staff meal", "lunch"), default=False)
    dinner = models.BooleanField(pgettext_lazy("staff meal", "dinner"), default=False)
    note = models.CharField(pgettext_lazy("staff meal", "note"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("changed at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("staff meal order")
        verbose_name_plural = _("staff meal orders")
        ordering = ["-date", "staff"]
        permissions = [("count_mealorder", "Can see and export monthly meal counts")]
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="mealorder_one_a_day"),
        ]
        indexes = [models.Index(fields=["mall", "date"], name="mealorder_mall_date")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date}"

    def has(self, meal: str) -> bool:
        return bool(getattr(self, meal))


@audited()
class MealSheet(models.Model):
    """The day's list of one meal as sent to the canteen or supplier. Once
    it is sent, a change to that meal is a late change for the supervisor
    ("late changes after the cut-off need the supervisor")."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    date = models.DateField(_("date"))
    meal = models.CharField(pgettext_lazy("staff meal", "meal"), max_length=8, choices=Meal.choices)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    meals_sent = models.PositiveIntegerField(_("meals on the list when sent"))

    class Meta:
        verbose_name = _("meal list sent")
        verbose_name_plural = _("meal lists sent")
        ordering = ["-date", "meal"]
        permissions = [("send_mealsheet", "Can mark the day's meal list sent")]
        constraints = [
            models.UniqueConstraint(fields=["mall", "date", "meal"], name="mealsheet_once_a_meal"),
        ]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.date} {self.meal}"


@audited()
class MealChangeRequest(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """A late change of a meal order (after the meal's cut-off or after its
    list was sent); a supervisor approves it and only then does the order
    change. `lunch`/`dinner` are the wanted values, empty when unchanged."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting supervisor")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "pending": {"approved", "rejected", "cancelled"},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="meal_change_requests",
        verbose_name=_("staff member"),
    )
    date = models.DateField(_("date"))
    lunch = models.BooleanField(pgettext_lazy("staff meal", "lunch"), null=True, blank=True)
    dinner = models.BooleanField(pgettext_lazy("staff meal", "dinner"), null=True, blank=True)
    note = models.CharField(pgettext_lazy("staff meal", "note"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mealchange_changes_a_meal": ("lunch", _("Change lunch, dinner or both.")),
        "mealchange_not_decided_by_requester": (None, _("You cannot approve your own request.")),
    }

    class Meta:
        verbose_name = _("late meal change")
        verbose_name_plural = _("late meal changes")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_mealchangerequest", "Can approve or reject late meal changes")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lunch__isnull=False) | models.Q(dinner__isnull=False),
                name="mealchange_changes_a_meal",
            ),
            models.UniqueConstraint(
                fields=["staff", "date"],
                condition=models.Q(state="pending"),
                name="mealchange_one_pending_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "cancelled"])
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="mealchange_decided_has_who_and_when",
            ),
            # Nobody approves their own late change.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("staff")),
                name="mealchange_not_decided_by_requester",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "state"], name="mealchange_mall_state"),
            models.Index(fields=["mall", "date"], name="mealchange_mall_date"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date} {self.state}"

    def changes(self) -> list[tuple[str, str, bool]]:
        """(meal, its label, wanted) for each meal this request changes."""
        return [
            (meal, label, getattr(self, meal))
            for meal, label in Meal.choices
            if getattr(self, meal) is not None
        ]
