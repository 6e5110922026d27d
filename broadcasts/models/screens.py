"""The entrance display screens (大门显示屏), their messages, edits waiting
for approval, placements and the log of what was live when."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice import workflow
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.uploads import RandomName


def new_screen_token() -> str:
    return secrets.token_urlsafe(24)


@audited(exclude=["token"])
class Screen(models.Model):
    """An entrance display screen; its PC opens the player at a secret URL."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    name = models.CharField(_("name"), max_length=60)
    location = models.CharField(_("location"), max_length=100, blank=True)
    # The token itself stays out of the history; its rotation does not.
    token = models.CharField(max_length=64, unique=True, default=new_screen_token, editable=False)
    token_rotated_at = models.DateTimeField(_("player address changed at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("display screen")
        verbose_name_plural = _("display screens")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "name"], name="screen_name_unique_in_mall")
        ]

    def __str__(self) -> str:
        return self.name


WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


# Priorities offered at the desk; any other number (older records) is shown
# as it is.
SCREEN_PRIORITIES = [
    (-5, pgettext_lazy("screen priority", "low")),
    (0, pgettext_lazy("screen priority", "normal")),
    (5, pgettext_lazy("screen priority", "high")),
    (9, pgettext_lazy("screen priority", "highest")),
]


class ScreenMessageContent(models.Model):
    """What a supervisor approves of a screen message: its content and when
    it runs. Shared by the message and a change waiting for approval."""

    title = models.CharField(_("title"), max_length=60)
    text = models.CharField(_("text"), max_length=300)
    image = models.FileField(
        _("image"),
        upload_to=RandomName("screens"),
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(choices=WEEKDAYS),
        verbose_name=_("days of the week"),
        default=list,
        blank=True,
    )
    # Both empty: all day. from > until: an overnight window (22:00–02:00)
    # belonging to the day it starts on.
    time_from = models.TimeField(_("from time"), null=True, blank=True)
    time_until = models.TimeField(_("until time"), null=True, blank=True)
    duration_seconds = models.PositiveSmallIntegerField(
        _("seconds on screen"),
        default=10,
        validators=[MinValueValidator(3), MaxValueValidator(600)],
    )
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Higher shows first and more often.")
    )
    is_emergency = models.BooleanField(_("emergency"), default=False)

    class Meta:
        abstract = True

    @property
    def weekday_names(self) -> str:
        """The days it runs, by name (周四、周五), in week order."""
        names = dict(WEEKDAYS)
        return "、".join(str(names[day]) for day in sorted(self.weekdays))

    @property
    def priority_label(self) -> str:
        return str(dict(SCREEN_PRIORITIES).get(self.priority, self.priority))


# An edit of any of these (or of the screens) on a live message waits for
# approval.
SCREEN_MESSAGE_CONTENT = tuple(f.name for f in ScreenMessageContent._meta.local_fields)


@audited()
class ScreenMessage(ConstraintMessagesMixin, workflow.StateMachineMixin, ScreenMessageContent):
    """A message for the entrance screens and when it runs (cf. Anthias's
    Asset: date range, play days, time-of-day window, duration)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        State.PENDING: {State.APPROVED, State.REJECTED, State.WITHDRAWN},
        State.APPROVED: {State.WITHDRAWN},
    }
    # The colour of its status badge (`{% status_badge obj field="state" %}`).
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.PENDING: "warning",
        State.APPROVED: "success",
        State.REJECTED: "danger",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    submitted_by = models.ForeignKey(
        "mallservice.User", models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    submitted_at = models.DateTimeField(_("entered at"))
    decided_by = models.ForeignKey(
        "mallservice.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved / rejected by"),
    )
    decided_at = models.DateTimeField(_("approved / rejected at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "screen_message_date_range_ordered": (
            "ends_on",
            _("The end date must not be before the start date."),
        ),
        "screen_message_window_both_or_none": ("time_until", _("Give both times or neither.")),
        "screen_message_duration_range": ("duration_seconds", _("Between 3 and 600 seconds.")),
    }

    class Meta:
        verbose_name = _("screen message")
        verbose_name_plural = _("screen messages")
        ordering = ["-submitted_at"]
        permissions = [("approve_screenmessage", _("Can approve screen messages"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="screen_message_date_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(time_from__isnull=True, time_until__isnull=True)
                | Q(time_from__isnull=False, time_until__isnull=False),
                name="screen_message_window_both_or_none",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(decided_by__isnull=False),
                name="screen_message_live_only_when_approved",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__gte=3, duration_seconds__lte=600),
                name="screen_message_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


@audited()
class ScreenMessageEdit(ConstraintMessagesMixin, workflow.StateMachineMixin, ScreenMessageContent):
    """A proposed change to an approved message, waiting for a supervisor.

    The message itself keeps its approved content (and screens) until the
    edit is approved, so the entrance screens never go blank or show
    unapproved text because of a pending edit; a rejected or withdrawn
    edit leaves the message as it was. One pending edit per message: a
    second change revises it. Its image is the message's own file unless a
    new one was uploaded (empty when it is to be removed)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        State.PENDING: {State.APPROVED, State.REJECTED, State.WITHDRAWN},
    }
    # The colour of its status badge (`{% status_badge obj field="state" %}`).
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.PENDING: "warning",
        State.APPROVED: "success",
        State.REJECTED: "danger",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    message = models.ForeignKey(
        ScreenMessage, models.PROTECT, related_name="edits", verbose_name=_("message")
    )
    # Screen ids of the message's mall, checked by the services when the
    # edit is entered and again when it is approved (a screen may have been
    # switched off in between).
    screen_ids = ArrayField(models.IntegerField(), verbose_name=_("screens"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    submitted_by = models.ForeignKey(
        "mallservice.User", models.PROTECT, related_name="+", verbose_name=_("edited by")
    )
    submitted_at = models.DateTimeField(_("edited at"))
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

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "screen_edit_date_range_ordered": (
            "ends_on",
            _("The end date must not be before the start date."),
        ),
        "screen_edit_window_both_or_none": ("time_until", _("Give both times or neither.")),
        "screen_edit_duration_range": ("duration_seconds", _("Between 3 and 600 seconds.")),
        "screen_edit_has_screens": ("screens", _("Choose at least one screen.")),
    }

    class Meta:
        verbose_name = _("screen message edit")
        verbose_name_plural = _("screen message edits")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(state="pending"),
                name="screen_message_one_pending_edit",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="screen_edit_date_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(time_from__isnull=True, time_until__isnull=True)
                | Q(time_from__isnull=False, time_until__isnull=False),
                name="screen_edit_window_both_or_none",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "rejected"]) | Q(decided_by__isnull=False),
                name="screen_edit_decided_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__gte=3, duration_seconds__lte=600),
                name="screen_edit_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(screen_ids__len__gte=1), name="screen_edit_has_screens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("broadcasts:message_edit_detail", args=[self.pk])


@audited()
class ScreenPlacement(models.Model):
    """Which screens a message runs on."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    message = models.ForeignKey(
        ScreenMessage, models.PROTECT, related_name="placements", verbose_name=_("message")
    )
    screen = models.ForeignKey(
        Screen, models.PROTECT, related_name="placements", verbose_name=_("screen")
    )

    class Meta:
        verbose_name = _("screen placement")
        verbose_name_plural = _("screen placements")
        constraints = [
            models.UniqueConstraint(fields=["message", "screen"], name="placement_unique")
        ]
        indexes = [models.Index(fields=["screen", "message"], name="placement_screen_idx")]

    def __str__(self) -> str:
        return f"{self.message_id}@{self.screen_id}"


@audited()
class ScreenLiveRecord(models.Model):
    """The log of what was live when: one row per message per screen per
    continuous live period, kept by the beat dispatcher."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    screen = models.ForeignKey(
        Screen, models.PROTECT, related_name="live_records", verbose_name=_("screen")
    )
    message = models.ForeignKey(
        ScreenMessage, models.PROTECT, related_name="live_records", verbose_name=_("message")
    )
    live_from = models.DateTimeField(_("live from"))
    live_until = models.DateTimeField(_("live until"), null=True, blank=True)

    class Meta:
        verbose_name = _("screen live record")
        verbose_name_plural = _("screen live log")
        ordering = ["-live_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["screen", "message"],
                condition=Q(live_until__isnull=True),
                name="live_record_one_open_per_message",
            )
        ]

    def __str__(self) -> str:
        return f"{self.screen_id}:{self.message_id}"
