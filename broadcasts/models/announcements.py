"""Ad-hoc announcements (临时播报), their approval and repeat plan."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from broadcasts.models.scripts import (
    KINDS_NEEDING_APPROVAL,
    SCRIPT_FIELDS,
    AnnouncementKind,
    ScriptTemplate,
)
from mallservice import workflow
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin


@audited()
class Announcement(ConstraintMessagesMixin, workflow.StateMachineMixin, models.Model):
    """An ad-hoc announcement (临时播报) and its approval; the repeat plan
    is its `airings`."""

    class State(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("waiting for approval")
        QUEUED = "queued", _("in the queue")
        REJECTED = "rejected", _("rejected")
        DONE = "done", _("all repeats aired")
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        State.PENDING_APPROVAL: {State.QUEUED, State.REJECTED, State.CANCELLED},
        State.QUEUED: {State.DONE, State.CANCELLED},
    }
    # The colour of its status badge (`{% status_badge obj field="state" %}`).
    # The history panel names a script's fields, not their placeholder codes.
    HISTORY_KEY_LABELS: ClassVar[dict[str, dict]] = {"fields": SCRIPT_FIELDS}
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.PENDING_APPROVAL: "warning",
        State.QUEUED: "info",
        State.REJECTED: "danger",
        State.DONE: "success",
    }
    Kind = AnnouncementKind

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AnnouncementKind.choices)
    urgency = models.PositiveSmallIntegerField(_("urgency"), editable=False)
    template = models.ForeignKey(
        ScriptTemplate,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("script template"),
    )
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    script = models.TextField(_("script"))
    requested_by = models.ForeignKey(
        "mallservice.User", models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    wanted_at = models.DateTimeField(_("wanted at"))
    repetitions = models.PositiveSmallIntegerField(
        _("repetitions"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    interval_minutes = models.PositiveSmallIntegerField(
        _("minutes between repeats"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    decided_by = models.ForeignKey(
        "mallservice.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved / rejected by"),
    )
    decided_at = models.DateTimeField(_("approved / rejected at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    cancelled_by = models.ForeignKey(
        "mallservice.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    missing_case = models.ForeignKey(
        "MissingPersonCase",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("missing-person case"),
    )

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "announcement_repetitions_1_to_20": ("repetitions", _("Between 1 and 20 repetitions.")),
        "announcement_interval_positive": ("interval_minutes", _("At least one minute.")),
    }

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-requested_at"]
        permissions = [
            ("approve_announcement", _("Can approve advertisements and promotions")),
            ("air_announcement", _("Can air announcements and routine broadcasts")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(repetitions__gte=1, repetitions__lte=20),
                name="announcement_repetitions_1_to_20",
            ),
            models.CheckConstraint(
                condition=Q(interval_minutes__gte=1), name="announcement_interval_positive"
            ),
            # Only ads and promotions can wait for (or be refused) approval.
            models.CheckConstraint(
                condition=~Q(state__in=["pending_approval", "rejected"])
                | Q(kind__in=["advertisement", "promotion"]),
                name="announcement_only_ads_wait_for_approval",
            ),
            # An ad or promotion goes to the queue only with a named approver.
            models.CheckConstraint(
                condition=~Q(kind__in=["advertisement", "promotion"])
                | Q(state__in=["pending_approval", "cancelled"])
                | Q(decided_by__isnull=False),
                name="announcement_ads_aired_only_when_decided",
            ),
        ]
        indexes = [models.Index(fields=["mall", "state"], name="announcement_mall_state_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("broadcasts:announcement_detail", args=[self.pk])

    @property
    def needs_approval(self) -> bool:
        return self.kind in KINDS_NEEDING_APPROVAL


@audited()
class AnnouncementAiring(workflow.StateMachineMixin, models.Model):
    """One planned repetition of an announcement; aired or dropped."""

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("airing", "planned")
        AIRED = "aired", _("aired")
        DROPPED = "dropped", _("dropped")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        State.PLANNED: {State.AIRED, State.DROPPED},
    }
    # The colour of its status badge (`{% status_badge obj field="state" %}`).
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.PLANNED: "info",
        State.AIRED: "success",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    announcement = models.ForeignKey(
        Announcement, models.PROTECT, related_name="airings", verbose_name=_("announcement")
    )
    sequence = models.PositiveSmallIntegerField(pgettext_lazy("airing", "repeat"))
    due_at = models.DateTimeField(pgettext_lazy("airing", "due at"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    aired_at = models.DateTimeField(_("aired at"), null=True, blank=True)
    aired_by = models.ForeignKey(
        "mallservice.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aired by"),
    )

    class Meta:
        verbose_name = _("airing")
        verbose_name_plural = _("airings")
        ordering = ["announcement", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "sequence"], name="airing_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(state="aired", aired_at__isnull=False, aired_by__isnull=False)
                | (~Q(state="aired") & Q(aired_at__isnull=True)),
                name="airing_aired_has_time_and_actor",
            ),
        ]
        indexes = [
            models.Index(
                fields=["mall", "due_at"],
                name="airing_planned_due_idx",
                condition=Q(state="planned"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}/{self.sequence}"
