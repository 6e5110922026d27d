"""Complaints (投诉): intake, ownership, SLA facts, the phone log and the
daily summary. Workflow rules are data on the model; every write goes
through `services/`."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Right, Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import append_only_triggers, audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.uploads import RandomName
from mallservice.validators import email_lines, validate_email_lines
from mallservice.workflow import StateMachineMixin


class StatusCategory(models.TextChoices):
    """The fixed meaning behind every admin-named status. SLA and reports key
    off the category, never off a status name."""

    OPEN = "open", _("open")
    PAUSED = "paused", _("paused")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class Channel(models.TextChoices):
    DESK = "desk", _("at the desk")
    PHONE = "phone", _("phone")
    PLATFORM = "platform", _("12315 / online platform")
    LETTER = "letter", _("letter")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")
    SAFETY = "safety", _("safety")


class HandlerKind(models.TextChoices):
    FLOOR_SUPERVISOR = "floor_supervisor", _("floor supervisor")
    SHOP = "shop", _("shop")
    DEPARTMENT = "department", _("department")


class Department(models.TextChoices):
    ENGINEERING = "engineering", _("engineering")
    SECURITY = "security", _("security")
    CLEANING = "cleaning", _("cleaning")
    MARKETING = "marketing", _("marketing")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    NEUTRAL = "neutral", _("neutral")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    WARNED = "warned", _("due soon")
    BREACHED = "breached", _("overdue")
    ESCALATED = "escalated", _("overdue 2×")


DEFAULT_CATEGORIES = [
    ("product_quality", _("product quality")),
    ("service_attitude", _("service attitude")),
    ("price_receipt", _("price / receipt")),
    ("returns", _("returns and exchanges")),
    ("facilities", _("facilities and environment")),
    ("parking", _("parking")),
    ("safety", _("safety")),
    ("other", _("other")),
]


@audited()
class Category(models.Model):
    """A complaint category; each mall configures its own list."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["mall", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="complaint_category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class Status(models.Model):
    """An admin-named status (e.g. 等待顾客提供小票) bound to a fixed category.
    The staff label and what the customer is told may differ."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name for staff"), max_length=50)
    customer_label = models.CharField(_("name for the customer"), max_length=50, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=StatusCategory.choices)
    is_default = models.BooleanField(
        _("default of its category"),
        default=False,
        help_text=_("Set by the workflow when a complaint enters this category."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint status")
        verbose_name_plural = _("complaint statuses")
        ordering = ["mall", "category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="complaint_status_code_unique"),
            models.UniqueConstraint(
                fields=["mall", "category"],
                condition=Q(is_default=True),
                name="complaint_status_one_default_per_category",
            ),
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class SlaPolicy(ConstraintMessagesMixin, models.Model):
    """A mall's own targets for a severity, optionally for one member tier
    code (empty: any tier). Without a row the defaults in `sla.py` apply."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    tier = models.CharField(_("member tier code"), max_length=32, blank=True)
    response_minutes = models.PositiveIntegerField(_("minutes to first response"))
    resolution_minutes = models.PositiveIntegerField(_("minutes to resolution"))
    warn_before_minutes = models.PositiveIntegerField(_("warn minutes before breach"), default=60)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "complaint_sla_policy_positive": (
            "response_minutes",
            _("Response and resolution times must be more than zero minutes."),
        ),
    }

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "severity", "tier"], name="complaint_sla_policy_unique"
            ),
            models.CheckConstraint(
                condition=Q(response_minutes__gt=0) & Q(resolution_minutes__gt=0),
                name="complaint_sla_policy_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.severity} {self.tier or '*'}"


@audited()
class DeskSettings(ConstraintMessagesMixin, models.Model):
    """Per-mall settings of the complaints desk."""

    mall = models.OneToOneField("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    summary_time = models.TimeField(
        _("daily summary time"),
        default=datetime.time(17, 30),
        help_text=_("The daily summary is built at this time (due before 18:00)."),
    )
    summary_recipients = models.TextField(
        _("summary recipients"),
        blank=True,
        help_text=_("E-mail addresses, one per line."),
        validators=[validate_email_lines],
    )
    reference_prefix = models.CharField(_("reference prefix"), max_length=8, default="TS")
    fault_reference_prefix = models.CharField(
        _("fault reference prefix"), max_length=8, default="BX"
    )
    # A repeat fault: this many faults of one type at one place within the
    # window (issue 10: "repeat faults at the same place").
    fault_repeat_count = models.PositiveSmallIntegerField(_("faults that make a repeat"), default=2)
    fault_repeat_days = models.PositiveSmallIntegerField(_("repeat window (days)"), default=30)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "desk_settings_fault_repeat_sane": (
            "fault_repeat_count",
            _("At least 2 reports within at least 1 day."),
        ),
    }

    class Meta:
        verbose_name = _("complaints desk settings")
        verbose_name_plural = _("complaints desk settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(fault_repeat_count__gte=2) & Q(fault_repeat_days__gte=1),
                name="desk_settings_fault_repeat_sane",
            )
        ]

    def __str__(self) -> str:
        return str(self.mall_id)

    def recipients(self) -> list[str]:
        return email_lines(self.summary_recipients)


@audited()
class DailyCounter(models.Model):
    """The last reference number handed out per mall per series per day
    (complaints TS-…, fault reports BX-…). The intake service locks this row,
    so two desks never get the same number."""

    class Series(models.TextChoices):
        COMPLAINT = "complaint", _("complaint")
        FAULT = "fault", _("fault report")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    series = models.CharField(
        _("series"), max_length=16, choices=Series.choices, default=Series.COMPLAINT
    )
    day = models.DateField(_("day"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "series", "day"], name="complaint_counter_series_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.series} {self.day} {self.last_number}"


class ComplaintQuerySet(models.QuerySet):
    def for_list(self) -> ComplaintQuerySet:
        return self.select_related("mall", "category", "status", "floor", "unit", "handler_unit")

    def live(self) -> ComplaintQuerySet:
        """Open or paused: still the desk's work."""
        return self.filter(status_category__in=[StatusCategory.OPEN, StatusCategory.PAUSED])


@audited()
class Complaint(StateMachineMixin, models.Model):
    class State(models.TextChoices):
        NEW = "new", _("new")
        ASSIGNED = "assigned", _("assigned")
        RESPONDED = "responded", _("handler responded")
        VERIFIED = "verified", _("verified by the desk")
        CALLED_BACK = "called_back", _("customer called back")
        CLOSED = "closed", _("closed")
        MERGED = "merged", _("merged as duplicate")

    # The workflow table: state → states it may move to.
    TRANSITION_ERROR = _("A complaint in step “%(old)s” cannot move to “%(new)s”.")
    TRANSITIONS: dict[str, frozenset[str]] = {
        State.NEW: frozenset({State.ASSIGNED, State.VERIFIED, State.MERGED}),
        State.ASSIGNED: frozenset({State.ASSIGNED, State.RESPONDED, State.MERGED}),
        State.RESPONDED: frozenset({State.ASSIGNED, State.VERIFIED, State.MERGED}),
        State.VERIFIED: frozenset({State.ASSIGNED, State.CALLED_BACK}),
        State.CALLED_BACK: frozenset({State.ASSIGNED, State.CLOSED}),
        State.CLOSED: frozenset({State.ASSIGNED}),  # reopen
        State.MERGED: frozenset(),
    }
    # Which status categories each state allows (a DB constraint too).
    STATE_CATEGORIES: dict[str, frozenset[str]] = {
        State.NEW: frozenset({StatusCategory.OPEN, StatusCategory.PAUSED}),
        State.ASSIGNED: frozenset({StatusCategory.OPEN, StatusCategory.PAUSED}),
        State.RESPONDED: frozenset({StatusCategory.OPEN, StatusCategory.PAUSED}),
        State.VERIFIED: frozenset({StatusCategory.RESOLVED, StatusCategory.PAUSED}),
        State.CALLED_BACK: frozenset({StatusCategory.RESOLVED}),
        State.CLOSED: frozenset({StatusCategory.CLOSED}),
        State.MERGED: frozenset({StatusCategory.CLOSED}),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(_("reference number"), max_length=24)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # Complainant. A member found by card or phone at intake is linked and
    # gives the tier code (a snapshot: the SLA was set with it); without a
    # member one of the mall's tiers may be chosen or none (a tier ranked
    # above the mall's base tier tightens the SLA).
    complainant_name = models.CharField(_("complainant"), max_length=50)
    complainant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    member = models.ForeignKey(
        "members.Member",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("member"),
    )
    member_tier = models.CharField(_("member tier code"), max_length=32, blank=True)
    floor = models.ForeignKey(
        "mallservice.Floor", models.PROTECT, null=True, blank=True, verbose_name=_("floor")
    )
    unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shop / counter / area"),
    )
    category = models.ForeignKey(Category, models.PROTECT, verbose_name=_("category"))
    description = models.TextField(_("what happened"))
    remedy_requested = models.TextField(_("remedy the customer asks for"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.NORMAL
    )

    state = models.CharField(_("step"), max_length=16, choices=State.choices, default=State.NEW)
    status = models.ForeignKey(Status, models.PROTECT, verbose_name=_("status"))
    status_category = models.CharField(
        _("status category"), max_length=16, choices=StatusCategory.choices
    )

    # Ownership.
    handler_kind = models.CharField(
        _("handler kind"), max_length=20, choices=HandlerKind.choices, blank=True
    )
    handler_department = models.CharField(
        _("department"), max_length=16, choices=Department.choices, blank=True
    )
    handler_unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling shop"),
    )
    handler_name = models.CharField(_("handler"), max_length=50, blank=True)
    handler_due_at = models.DateTimeField(_("handler due at"), null=True, blank=True)
    assignment_no = models.PositiveSmallIntegerField(default=0)
    response_text = models.TextField(_("handler's response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    satisfaction_comment = models.TextField(_("callback comment"), blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # SLA facts, stored on the row so lists and reports need no computation.
    response_due_at = models.DateTimeField(_("response due"))
    resolution_due_at = models.DateTimeField(_("resolution due"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("minutes paused"), default=0)
    sla_state = models.CharField(
        _("SLA"), max_length=16, choices=SlaState.choices, default=SlaState.ON_TRACK
    )
    response_breached = models.BooleanField(_("response overdue"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("approve_compensation", _("Can approve compensation")),
            ("export_complaint", _("Can export complaints")),
        ]
        indexes = [
            models.Index(fields=["mall", "-received_at", "-id"], name="complaint_mall_recent"),
            models.Index(
                fields=["mall", "status_category", "-received_at"], name="complaint_mall_cat"
            ),
            models.Index(fields=["mall", "sla_state", "-received_at"], name="complaint_mall_sla"),
            models.Index(fields=["mall", "state", "-received_at"], name="complaint_mall_state"),
            models.Index(fields=["unit", "-received_at"], name="complaint_unit_recent"),
            # The daily summary and the dashboard count what was resolved and
            # called back in a period (a seq scan of a million rows without).
            models.Index(
                fields=["mall", "resolved_at"],
                condition=Q(resolved_at__isnull=False),
                name="complaint_mall_resolved",
            ),
            models.Index(
                fields=["mall", "called_back_at"],
                condition=Q(called_back_at__isnull=False),
                name="complaint_mall_called_back",
            ),
            # The dispatcher's check each minute: open, not yet answered.
            models.Index(
                fields=["response_due_at"],
                condition=Q(
                    status_category="open", first_response_at__isnull=True, response_breached=False
                ),
                name="complaint_response_pending",
            ),
            # The counter search box and the list's free text: a reference
            # (whole, any case, or part of it), a full mobile number or its
            # last four digits.
            models.Index(Upper("reference"), name="complaint_reference_upper"),
            GinIndex(
                OpClass(Upper("reference"), name="gin_trgm_ops"), name="complaint_reference_trgm"
            ),
            models.Index(fields=["complainant_phone"], name="complaint_phone"),
            # The list's free text on a name: three characters or more by
            # trigram, two (a surname and one more) by prefix.
            GinIndex(OpClass("complainant_name", name="gin_trgm_ops"), name="complaint_name_trgm"),
            models.Index(
                fields=["complainant_name"],
                name="complaint_name_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(Right("complainant_phone", 4), name="complaint_phone_last4"),
        ]
        constraints = [
            # Per mall per day: TS-20261127-003 (two malls may share a prefix).
            models.UniqueConstraint(
                fields=["mall", "reference"], name="complaint_reference_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        state__in=["new", "assigned", "responded"],
                        status_category__in=["open", "paused"],
                    )
                    | Q(state="verified", status_category__in=["resolved", "paused"])
                    | Q(state="called_back", status_category="resolved")
                    | Q(state__in=["closed", "merged"], status_category="closed")
                ),
                name="complaint_state_matches_status_category",
            ),
            models.CheckConstraint(
                condition=Q(state="merged", merged_into__isnull=False)
                | (~Q(state="merged") & Q(merged_into__isnull=True)),
                name="complaint_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False),
                name="complaint_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(paused_since__isnull=True) | Q(status_category="paused"),
                name="complaint_pause_only_when_paused",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_live(self) -> bool:
        return self.status_category in (StatusCategory.OPEN, StatusCategory.PAUSED)


MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


@audited()
class Attachment(models.Model):
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="attachments", verbose_name=_("complaint")
    )
    file = models.FileField(_("file"), upload_to=RandomName("complaints"))
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_ATTACHMENT_BYTES), name="complaint_attachment_size"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class Activity(models.Model):
    """The timeline: one append-only row per thing that happened, stored as a
    code plus parameters and rendered in the reader's language."""

    class Code(models.TextChoices):
        RECEIVED = "received", _("received")
        ASSIGNED = "assigned", _("assigned")
        RESPONDED = "responded", _("handler responded")
        VERIFIED = "verified", _("verified")
        CALLED_BACK = "called_back", _("customer called back")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        MERGED = "merged", _("merged")
        STATUS = "status", _("status changed")
        NOTE = "note", _("internal note")
        CUSTOMER_TOLD = "customer_told", _("told the customer")
        COMPENSATION_REQUESTED = "compensation_requested", _("compensation requested")
        COMPENSATION_APPROVED = "compensation_approved", _("compensation approved")
        COMPENSATION_REJECTED = "compensation_rejected", _("compensation rejected")
        ATTACHMENT = "attachment", _("attachment added")
        SMS = "sms", _("SMS recorded")
        SLA_WARNING = "sla_warning", _("SLA warning")
        ESCALATED = "escalated", _("escalated")
        FIXED = "fixed", _("fix recorded")
        SENT_BACK = "sent_back", _("sent back: not fixed")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    # A timeline belongs to one case: a complaint or a fault report.
    complaint = models.ForeignKey(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("complaint"),
    )
    fault = models.ForeignKey(
        "FaultReport",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("fault report"),
    )
    at = models.DateTimeField(_("at"))
    code = models.CharField(_("event"), max_length=32, choices=Code.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "pk"]
        triggers = append_only_triggers()
        indexes = [
            models.Index(fields=["complaint", "at"], name="complaint_event_timeline"),
            models.Index(fields=["fault", "at"], name="fault_event_timeline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint__isnull=False, fault__isnull=True)
                | Q(complaint__isnull=True, fault__isnull=False),
                name="activity_one_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id or self.fault_id} {self.code}"


@audited()
class Compensation(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class Kind(models.TextChoices):
        COUPON = "coupon", _("coupon")
        PARKING = "parking", _("parking voucher")
        REFUND = "refund", _("refund mediated with the shop")
        GIFT = "gift", _("goodwill gift")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    TRANSITION_ERROR = _("This compensation was already decided.")
    TRANSITIONS = {
        State.REQUESTED: frozenset({State.APPROVED, State.REJECTED}),
        State.APPROVED: frozenset(),
        State.REJECTED: frozenset(),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    complaint = models.ForeignKey(
        Complaint, models.PROTECT, related_name="compensations", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "compensation_amount_positive": ("amount", _("Must not be negative.")),
        "compensation_four_eyes": (None, _("You cannot approve your own request.")),
    }

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="compensation_amount_positive"),
            models.CheckConstraint(
                condition=Q(state="requested", decided_by__isnull=True)
                | (~Q(state="requested") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="compensation_decision_has_decider",
            ),
            # The approver is never the requester: approval means a second person.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="compensation_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ¥{self.amount}"


@audited()
class Escalation(models.Model):
    """One rung of the escalation ladder of one case (a complaint or a fault
    report), due at a time and claimed once by the beat dispatcher
    (`fired_at` set, never again). A reopened complaint gets a new ladder
    for its new resolution period."""

    class Level(models.TextChoices):
        WARNING = "warning", _("warning to the handler")
        SUPERVISOR = "supervisor", _("escalated to the supervisor")
        MANAGER = "manager", _("escalated to the manager")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    complaint = models.ForeignKey(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("complaint"),
    )
    fault = models.ForeignKey(
        "FaultReport",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("fault report"),
    )
    level = models.CharField(
        pgettext_lazy("escalation", "level"), max_length=16, choices=Level.choices
    )
    # The resolution period the rung belongs to: 0 from intake, n after the
    # n-th reopen. A reopen starts a new ladder; the rungs fired before stay.
    period = models.PositiveSmallIntegerField(_("resolution period"), default=0)
    due_at = models.DateTimeField(_("due at"))
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    recipients = models.JSONField(_("notified"), default=list, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "period", "level"], name="escalation_once_per_period_level"
            ),
            models.UniqueConstraint(fields=["fault", "level"], name="fault_escalation_once"),
            models.CheckConstraint(
                condition=Q(complaint__isnull=False, fault__isnull=True)
                | Q(complaint__isnull=True, fault__isnull=False),
                name="escalation_one_case",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(fired_at__isnull=True), name="escalation_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id or self.fault_id} {self.level}"


@audited()
class OutboxMessage(models.Model):
    """A message to send (SMS acknowledgement, escalation e-mail, summary).
    The pluggable backend in `outbox.py` sends it; the default only records."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        # Claimed by a dispatcher and handed to the backend; "sent" once it
        # returned. A "sending" row older than the claim window is sent again
        # with the same Message-ID (the send may or may not have happened).
        SENDING = "sending", _("sending")
        RECORDED = "recorded", _("recorded only")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    complaint = models.ForeignKey(
        Complaint, models.PROTECT, null=True, blank=True, related_name="messages"
    )
    fault = models.ForeignKey(
        "FaultReport", models.PROTECT, null=True, blank=True, related_name="messages"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(pgettext_lazy("recipient", "to"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    backend = models.CharField(_("backend"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["created_at"], condition=Q(state="pending"), name="outbox_pending")
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.to}"

    @property
    def message_id(self) -> str:
        """The idempotency key sent with the message (the e-mail's
        Message-ID): the same on every retry, so a receiver can drop a copy."""
        return f"<outbox-{self.pk}@mallservice>"


@audited()
class PhoneCall(models.Model):
    """电话接待记录: every call the desk handles, complaint or not."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("inbound")
        OUTBOUND = "out", _("outbound")

    class Topic(models.TextChoices):
        INQUIRY = "inquiry", _("inquiry")
        SUGGESTION = "suggestion", _("suggestion")
        PRAISE = "praise", _("praise")
        LOST_ITEM = "lost_item", _("lost item")
        COMPLAINT = "complaint", _("complaint")
        OTHER = "other", _("other")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    at = models.DateTimeField(_("time"))
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.INBOUND
    )
    caller_name = models.CharField(_("caller"), max_length=50, blank=True)
    phone = models.CharField(_("number"), max_length=20, blank=True)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    summary = models.TextField(_("what was said"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("handled by")
    )
    complaint = models.OneToOneField(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="phone_call",
        verbose_name=_("complaint"),
    )

    class Meta:
        verbose_name = _("phone call")
        verbose_name_plural = _("phone log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["mall", "-at", "-id"], name="phonecall_mall_recent_id")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.topic}"


@audited()
class Summary(models.Model):
    """A stored daily / weekly / monthly summary (每日汇总)."""

    class Period(models.TextChoices):
        DAY = "day", _("daily")
        WEEK = "week", _("weekly")
        MONTH = "month", _("monthly")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    generated_at = models.DateTimeField(_("generated at"))
    data = models.JSONField(_("figures"), default=dict)
    emailed_to = models.JSONField(_("e-mailed to"), default=list, blank=True)

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")
        ordering = ["-starts_on", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "period", "starts_on"], name="complaint_summary_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="complaint_summary_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.starts_on}"


# -- fault reports (故障报修) ------------------------------------------------
# "A fault report is a case with a different intake and no customer
# callback" (issue 10): it shares the reference counter, the SLA clock, the
# timeline, the escalation ladder and the outbox with complaints.


class FaultType(models.TextChoices):
    LIGHTING = "lighting", _("lighting")
    LIFT = "lift", _("escalator / lift")
    AIR_CONDITIONING = "air_conditioning", _("air-conditioning")
    WATER = "water", _("water")
    TOILETS = "toilets", _("toilets")
    DOORS = "doors", _("doors")
    SIGNAGE = "signage", _("signage")
    SCREENS = "screens", _("screens")
    OTHER = "other", _("other")


class ReporterKind(models.TextChoices):
    STAFF = "staff", _("staff")
    SHOP = "shop", _("a shop")
    CUSTOMER = "customer", _("a customer")


@audited()
class FaultRoute(ConstraintMessagesMixin, models.Model):
    """The routing table: which department fixes a type of fault in a mall,
    and how many minutes it has (empty: the urgency's SLA target). Without a
    row the defaults in `fault_services.DEFAULT_ROUTES` apply."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    fault_type = models.CharField(_("fault type"), max_length=20, choices=FaultType.choices)
    department = models.CharField(_("department"), max_length=16, choices=Department.choices)
    resolution_minutes = models.PositiveIntegerField(
        _("minutes to fix"),
        null=True,
        blank=True,
        help_text=_("Empty: the SLA target of the fault's urgency."),
    )

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "fault_route_minutes_positive": ("resolution_minutes", _("Must be more than zero.")),
    }

    class Meta:
        verbose_name = _("fault routing rule")
        verbose_name_plural = _("fault routing table")
        ordering = ["mall", "fault_type"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "fault_type"], name="fault_route_unique"),
            models.CheckConstraint(
                condition=Q(resolution_minutes__isnull=True) | Q(resolution_minutes__gt=0),
                name="fault_route_minutes_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.fault_type} → {self.department}"


class FaultReportQuerySet(models.QuerySet):
    def for_list(self) -> FaultReportQuerySet:
        return self.select_related("mall", "floor", "unit")

    def live(self) -> FaultReportQuerySet:
        """Not yet closed: still the desk's work. Named states, not "not
        closed", so that the (mall, state) index serves it."""
        return self.filter(state__in=[FaultReport.State.ASSIGNED, FaultReport.State.FIXED])


@audited()
class FaultReport(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class State(models.TextChoices):
        ASSIGNED = "assigned", _("with the handler")
        FIXED = "fixed", _("fix recorded")
        CLOSED = "closed", _("confirmed and closed")

    # The workflow table: state → states it may move to. Sending a fix back
    # ("not fixed") returns the fault to its handler.
    TRANSITION_ERROR = _("A fault report in step “%(old)s” cannot move to “%(new)s”.")
    TRANSITIONS: dict[str, frozenset[str]] = {
        State.ASSIGNED: frozenset({State.ASSIGNED, State.FIXED}),
        State.FIXED: frozenset({State.ASSIGNED, State.CLOSED}),
        State.CLOSED: frozenset(),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(_("reference number"), max_length=24)
    received_at = models.DateTimeField(pgettext_lazy("fault report", "reported at"))
    floor = models.ForeignKey(
        "mallservice.Floor", models.PROTECT, related_name="+", verbose_name=_("floor")
    )
    unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shop / counter / area"),
    )
    location_note = models.CharField(_("exactly where"), max_length=100, blank=True)
    fault_type = models.CharField(_("fault type"), max_length=20, choices=FaultType.choices)
    severity = models.CharField(
        _("urgency"), max_length=16, choices=Severity.choices, default=Severity.NORMAL
    )
    description = models.TextField(_("what is wrong"))
    photo = models.FileField(_("photo"), upload_to=RandomName("faults"), blank=True)

    reporter_kind = models.CharField(
        _("reported by"), max_length=16, choices=ReporterKind.choices, default=ReporterKind.STAFF
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporting shop"),
    )
    phone_call = models.ForeignKey(
        PhoneCall,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="faults",
        verbose_name=_("from the phone log"),
    )
    complaint = models.ForeignKey(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="faults",
        verbose_name=_("from a complaint"),
    )

    state = models.CharField(
        _("step"), max_length=16, choices=State.choices, default=State.ASSIGNED
    )
    handler_department = models.CharField(
        _("department"), max_length=16, choices=Department.choices
    )
    handler_name = models.CharField(_("handler"), max_length=50, blank=True)
    handler_due_at = models.DateTimeField(_("handler due at"))
    assignment_no = models.PositiveSmallIntegerField(default=1)
    fix_text = models.TextField(_("what was done"), blank=True)
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    sent_back_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)

    # SLA facts on the row, as for complaints.
    resolution_due_at = models.DateTimeField(_("fix due"))
    sla_state = models.CharField(
        _("SLA"), max_length=16, choices=SlaState.choices, default=SlaState.ON_TRACK
    )
    # Faults of this type at this place within the mall's window, this one
    # included; stored at intake so lists need no computation.
    repeat_count = models.PositiveSmallIntegerField(_("faults here in the window"), default=1)
    is_repeat = models.BooleanField(_("repeat fault"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FaultReportQuerySet.as_manager()

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "fault_shop_reporter_named": ("reporter_unit", _("Choose the shop that reported it.")),
    }

    class Meta:
        verbose_name = _("fault report")
        verbose_name_plural = _("fault reports")
        ordering = ["-received_at", "-pk"]
        permissions = [("route_faultreport", _("Can re-route fault reports"))]
        indexes = [
            models.Index(fields=["mall", "-received_at", "-id"], name="fault_mall_recent"),
            models.Index(fields=["mall", "state", "-received_at"], name="fault_mall_state"),
            models.Index(
                fields=["mall", "fixed_at"],
                condition=Q(fixed_at__isnull=False),
                name="fault_mall_fixed",
            ),
            models.Index(
                fields=["mall", "unit", "fault_type", "received_at"], name="fault_repeat_lookup"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["mall", "reference"], name="fault_reference_unique"),
            models.CheckConstraint(
                condition=~Q(state="assigned") | Q(fixed_at__isnull=True),
                name="fault_assigned_not_fixed",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["fixed", "closed"]) | Q(fixed_at__isnull=False),
                name="fault_fixed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False)
                | (~Q(state="closed") & Q(closed_at__isnull=True)),
                name="fault_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(reporter_kind="shop") | Q(reporter_unit__isnull=False),
                name="fault_shop_reporter_named",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_live(self) -> bool:
        return self.state != self.State.CLOSED

    @property
    def minutes_to_fix(self) -> int | None:
        if self.fixed_at is None:
            return None
        return int((self.fixed_at - self.received_at).total_seconds() // 60)
