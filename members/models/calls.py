"""VIP follow-up campaigns (回访活动), their call tasks, the calls made and
the planner's runs."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import append_only_triggers, audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from members.models.common import StateMachineMixin
from members.models.members import Member, Tier


@audited()
class Campaign(ConstraintMessagesMixin, models.Model):
    """A VIP follow-up campaign (回访活动) planned daily by beat."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("periodic callback")
        PROMOTION = "promotion", _("big-promotion notice")
        POINTS = "points", _("points-redemption reminder")
        BIRTHDAY = "birthday", _("birthday greeting")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    script = models.TextField(pgettext_lazy("call", "script"), help_text=_("Shown to the caller."))
    min_tier = models.ForeignKey(
        Tier, models.PROTECT, null=True, blank=True, verbose_name=_("minimum tier")
    )
    min_balance = models.PositiveIntegerField(_("minimum points balance"), default=0)
    birthday_month = models.PositiveSmallIntegerField(
        _("birthday month"),
        null=True,
        blank=True,
        help_text=_(
            "Only members born in this month (1–12); birthday greetings use the current month."
        ),
    )
    visited_within_days = models.PositiveSmallIntegerField(
        _("visited within (days)"),
        null=True,
        blank=True,
        help_text=_("Only members whose last visit is this recent."),
    )
    expiring_within_days = models.PositiveSmallIntegerField(
        _("points expiring within (days)"),
        null=True,
        blank=True,
        help_text=_("Only members with points that expire within this many days."),
    )
    period_days = models.PositiveSmallIntegerField(
        _("period (days)"), default=90, help_text=_("A member is called once per period.")
    )
    window_start = models.TimeField(_("calls from"), default=datetime.time(10, 0))
    window_end = models.TimeField(_("calls until"), default=datetime.time(20, 0))
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    retry_minutes = models.PositiveSmallIntegerField(_("retry after (minutes)"), default=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "campaign_window_ordered": ("window_end", _("The end must be after the start.")),
        "campaign_at_least_one_attempt": ("max_attempts", _("At least one attempt.")),
        "campaign_period_positive": ("period_days", _("At least one day.")),
        "campaign_birthday_month_valid": ("birthday_month", _("Choose a month from 1 to 12.")),
    }

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_start__lt=models.F("window_end")),
                name="campaign_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(max_attempts__gte=1), name="campaign_at_least_one_attempt"
            ),
            models.CheckConstraint(
                condition=models.Q(period_days__gte=1), name="campaign_period_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(birthday_month__isnull=True)
                | models.Q(birthday_month__gte=1, birthday_month__lte=12),
                name="campaign_birthday_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def period_start(self, day: datetime.date) -> datetime.date:
        """The first day of the period containing `day` (periods start on
        `starts_on` and last `period_days`)."""
        offset = (day - self.starts_on).days // self.period_days
        return self.starts_on + datetime.timedelta(days=offset * self.period_days)


@audited()
class CallTask(StateMachineMixin, models.Model):
    """One member to call for one campaign in one period."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to call")
        DONE = "done", _("done")
        GAVE_UP = "gave_up", _("gave up")
        CANCELLED = "cancelled", _("cancelled")

    class Origin(models.TextChoices):
        PLANNED = "planned", _("planned")
        CALLBACK = "callback", _("call back requested")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PENDING: {Status.DONE, Status.GAVE_UP, Status.CANCELLED},
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="tasks")
    member = models.ForeignKey(Member, models.PROTECT, related_name="call_tasks")
    period = models.DateField(_("period"))
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PLANNED)
    due_at = models.DateTimeField(pgettext_lazy("call", "due at"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="member_call_tasks",
        verbose_name=_("assignee"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(pgettext_lazy("call", "attempts"), default=0)
    last_outcome = models.CharField(_("last outcome"), max_length=16, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("call task")
        verbose_name_plural = _("call tasks")
        ordering = ["due_at"]
        constraints = [
            # The planner's idempotency: one planned call per campaign, member
            # and period, whatever runs twice or at once.
            models.UniqueConstraint(
                fields=["campaign", "member", "period"],
                condition=models.Q(origin="planned"),
                name="calltask_once_per_period",
            )
        ]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="calltask_mine"),
            models.Index(fields=["mall", "status", "due_at"], name="calltask_due"),
            # The dashboard: calls closed today, and 30 days of completion.
            models.Index(
                fields=["mall", "closed_at"],
                name="calltask_closed",
                condition=models.Q(closed_at__isnull=False),
            ),
            models.Index(
                fields=["mall", "due_at"], include=["status"], name="calltask_mall_due_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.member_id}/{self.period}"


class CallOutcome(models.TextChoices):
    CONNECTED = "connected", _("connected")
    NO_ANSWER = "no_answer", _("no answer")
    BUSY = "busy", _("busy")
    WRONG_NUMBER = "wrong_number", _("wrong number")
    REFUSED = "refused", _("refused")
    CALL_BACK = "call_back", _("call back at …")
    OPTED_OUT = "opted_out", _("opted out")


class CallAttempt(models.Model):
    """One call made: append-only log of outcomes."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    task = models.ForeignKey(CallTask, models.PROTECT, related_name="call_attempts")
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallOutcome.choices)
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["-at"]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.task_id} {self.outcome}"


class PlannerRun(models.Model):
    """What one planner run did for one campaign: created, skipped, counted."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="planner_runs")
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("at"))
    created = models.PositiveIntegerField(_("created"), default=0)
    already_planned = models.PositiveIntegerField(_("already planned"), default=0)
    skipped_no_consent = models.PositiveIntegerField(_("skipped: no consent"), default=0)
    skipped_do_not_call = models.PositiveIntegerField(_("skipped: do not call"), default=0)

    class Meta:
        verbose_name = _("planner run")
        verbose_name_plural = _("planner runs")
        ordering = ["-at"]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"
