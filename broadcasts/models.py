"""The broadcast room (播音室): script templates, the routine daily schedule,
ad-hoc announcements with their repeat plan, missing-person cases and the
entrance display screens (大门显示屏)."""

from __future__ import annotations

import datetime
import re
import secrets
from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice import workflow
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.uploads import RandomName

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# The fields a script template may ask for, as {placeholder} in its body.
# A fixed catalogue so labels are translated and forms stay simple.
SCRIPT_FIELDS: dict[str, str] = {
    "plate_number": _("plate number"),
    "car_colour": _("car colour"),
    "item_description": _("item description"),
    "found_place": _("found where"),
    "meeting_point": _("meeting point"),
    "event_name": pgettext_lazy("promotion", "event"),
    "event_details": _("offer details"),
    "shop_name": _("shop"),
    "time_text": _("time"),
    "person_description": _("description of the person"),
    "message": _("message"),
}


def template_placeholders(body: str) -> list[str]:
    """The placeholders of a script body, in order, without repeats."""
    seen: list[str] = []
    for name in PLACEHOLDER.findall(body):
        if name not in seen:
            seen.append(name)
    return seen


def render_script(body: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), "").strip(), body)


def new_screen_token() -> str:
    return secrets.token_urlsafe(24)


# Old migrations name this base class.
StateMachine = workflow.StateMachineMixin


class AnnouncementKind(models.TextChoices):
    EMERGENCY = "emergency", _("emergency / evacuation")
    MISSING_PERSON = "missing_person", _("missing person")
    CAR_MOVE = "car_move", _("car move")
    LOST_ITEM = "lost_item", _("lost item found")
    OTHER = "other", _("other")
    PROMOTION = "promotion", _("promotion")
    ADVERTISEMENT = "advertisement", _("advertisement")
    ROUTINE = "routine", _("routine")


# Lower is more urgent: the broadcaster's queue is ordered by this.
KIND_URGENCY: dict[str, int] = {
    AnnouncementKind.EMERGENCY: 0,
    AnnouncementKind.MISSING_PERSON: 1,
    AnnouncementKind.CAR_MOVE: 2,
    AnnouncementKind.LOST_ITEM: 3,
    AnnouncementKind.OTHER: 4,
    AnnouncementKind.ROUTINE: 5,
    AnnouncementKind.PROMOTION: 6,
    AnnouncementKind.ADVERTISEMENT: 7,
}
# "Advertisements and promotions need a supervisor's approval before airing;
# missing person, car move and emergency never wait for approval."
KINDS_NEEDING_APPROVAL = frozenset({AnnouncementKind.ADVERTISEMENT, AnnouncementKind.PROMOTION})


@audited()
class ScriptTemplate(models.Model):
    """A fixed script (播音稿) with {placeholders} filled in per request."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AnnouncementKind.choices)
    name = models.CharField(_("name"), max_length=80)
    body = models.TextField(
        _("script"), help_text=_("Use {plate_number}, {meeting_point} … for the fields to fill.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("script template")
        verbose_name_plural = _("script templates")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "name"], name="script_template_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def placeholders(self) -> list[str]:
        return template_placeholders(self.body)


@audited()
class RoutineSlot(models.Model):
    """One line of a mall's daily schedule: a template aired at a time."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    template = models.ForeignKey(
        ScriptTemplate, models.PROTECT, related_name="+", verbose_name=_("script template")
    )
    at = models.TimeField(_("time"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routine broadcast")
        verbose_name_plural = _("routine schedule")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "at", "template"], name="routine_slot_unique_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.template_id}"


@audited()
class RoutineAiring(workflow.StateMachineMixin, models.Model):
    """A routine broadcast due on one day; created by the dispatcher (or
    when the queue is first opened that day)."""

    class State(models.TextChoices):
        DUE = "due", pgettext_lazy("airing", "due")
        AIRED = "aired", _("aired")
        MISSED = "missed", _("missed")

    # A missed one can still be aired late; the flag stays.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        State.DUE: {State.AIRED, State.MISSED},
        State.MISSED: {State.AIRED},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    slot = models.ForeignKey(
        RoutineSlot, models.PROTECT, related_name="airings", verbose_name=_("routine broadcast")
    )
    day = models.DateField(_("day"))
    due_at = models.DateTimeField(pgettext_lazy("airing", "due at"))
    script = models.TextField(_("script"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DUE)
    aired_at = models.DateTimeField(_("aired at"), null=True, blank=True)
    aired_by = models.ForeignKey(
        "mallservice.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aired by"),
    )
    missed_flagged_at = models.DateTimeField(_("flagged missed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("routine airing")
        verbose_name_plural = _("routine airings")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "day"], name="routine_airing_once_a_day"),
            models.CheckConstraint(
                condition=Q(state="aired", aired_at__isnull=False, aired_by__isnull=False)
                | (~Q(state="aired") & Q(aired_at__isnull=True)),
                name="routine_airing_aired_has_time_and_actor",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="routine_airing_due_idx")]

    def __str__(self) -> str:
        return f"{self.day} {timezone.localtime(self.due_at):%H:%M}"


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


@audited(exclude=["reporter_phone"])
class MissingPersonCase(ConstraintMessagesMixin, workflow.StateMachineMixin, models.Model):
    """A missing-person case (寻人), following Code Adam practice."""

    class PersonKind(models.TextChoices):
        CHILD = "child", _("child")
        ELDERLY = "elderly", _("elderly person")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        OPEN = "open", _("searching")
        FOUND = "found", _("found")
        CLOSED = "closed", _("closed without finding")

    class Outcome(models.TextChoices):
        REUNITED = "reunited", _("reunited with the family")
        HANDED_TO_POLICE = "police", _("handed to the police")
        LEFT_ON_OWN = "left", _("found to have left the mall")
        OTHER = "other", _("other")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        State.OPEN: {State.FOUND, State.CLOSED},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    person_kind = models.CharField(_("who is missing"), max_length=10, choices=PersonKind.choices)
    # Kept for the file and the police; never put in a child's script.
    person_name = models.CharField(_("full name"), max_length=50, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    gender = models.CharField(
        _("gender"),
        max_length=1,
        blank=True,
        choices=[("m", _("male")), ("f", _("female"))],
    )
    description = models.CharField(pgettext_lazy("missing person", "description"), max_length=200)
    clothing = models.CharField(_("clothing and shoes"), max_length=200)
    last_seen_place = models.CharField(_("last seen where"), max_length=100)
    last_seen_at = models.DateTimeField(_("last seen at"))
    reporter_name = models.CharField(_("reporter"), max_length=50)
    reporter_phone = models.CharField(_("reporter phone"), max_length=20)
    meeting_point = models.CharField(_("meeting point"), max_length=100)
    handled_by = models.ForeignKey(
        "mallservice.User", models.PROTECT, related_name="+", verbose_name=_("handled by")
    )
    reported_at = models.DateTimeField(_("reported at"))
    police_due_at = models.DateTimeField(_("call the police at"))
    police_prompted_at = models.DateTimeField(_("desk prompted at"), null=True, blank=True)
    police_called_at = models.DateTimeField(_("police called at"), null=True, blank=True)
    police_called_by = models.ForeignKey(
        "mallservice.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("police called by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    found_at = models.DateTimeField(
        pgettext_lazy("missing person", "found at"), null=True, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "missing_case_closed_has_outcome": ("outcome", _("Choose the outcome.")),
    }

    class Meta:
        verbose_name = _("missing-person case")
        verbose_name_plural = _("missing-person cases")
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", found_at__isnull=True, outcome="")
                | (~Q(state="open") & ~Q(outcome="")),
                name="missing_case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(state="found") | Q(found_at__isnull=False),
                name="missing_case_found_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["police_due_at"],
                name="missing_case_police_due_idx",
                condition=Q(state="open", police_called_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_person_kind_display()} #{self.pk}"

    def police_overdue(self, now: datetime.datetime) -> bool:
        return (
            self.state == self.State.OPEN
            and not self.police_called_at
            and now >= self.police_due_at
        )


@audited()
class ExitWatch(models.Model):
    """An exit staff are watching for a missing person."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    case = models.ForeignKey(
        MissingPersonCase, models.PROTECT, related_name="exits", verbose_name=_("case")
    )
    exit = models.ForeignKey(
        "mallservice.Unit", models.PROTECT, related_name="+", verbose_name=_("exit")
    )
    watched_by = models.ForeignKey(
        "mallservice.User", models.PROTECT, related_name="+", verbose_name=_("marked by")
    )
    watched_at = models.DateTimeField(_("watched since"))

    class Meta:
        verbose_name = _("watched exit")
        verbose_name_plural = _("watched exits")
        ordering = ["watched_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "exit"], name="exit_watch_once_per_case")
        ]

    def __str__(self) -> str:
        return str(self.exit_id)


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
