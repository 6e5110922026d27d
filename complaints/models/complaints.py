"""The complaint (投诉) itself, its attachments and compensation."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Right, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models.desk import (
    Category,
    Channel,
    HandlerKind,
    Satisfaction,
    Severity,
    SlaState,
    Status,
    StatusCategory,
)
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.departments import Department
from mallservice.uploads import RandomName
from mallservice.workflow import StateMachineMixin


class ComplaintQuerySet(models.QuerySet):
    def for_list(self) -> ComplaintQuerySet:
        return self.select_related("mall", "category", "status", "floor", "unit", "handler_unit")

    def live(self) -> ComplaintQuerySet:
        """Open or paused: still the desk's work."""
        return self.filter(status_category__in=[StatusCategory.OPEN, StatusCategory.PAUSED])


@audited()
class Complaint(ConstraintMessagesMixin, StateMachineMixin, models.Model):
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

    # Badge colours for `{% status_badge complaint field="state" %}` and
    # `field="sla_state"` (the values of the two fields do not overlap).
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.NEW: "primary",
        State.ASSIGNED: "info",
        State.RESPONDED: "info",
        State.VERIFIED: "success",
        State.CALLED_BACK: "success",
        SlaState.ON_TRACK: "success",
        SlaState.WARNED: "warning",
        SlaState.BREACHED: "danger",
        SlaState.ESCALATED: "danger",
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(_("reference number"), max_length=24)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # A public channel's own number (12315 工单号) and its legal deadline:
    # the last working day, counted at intake on the calendar (a snapshot).
    source_case_number = models.CharField(
        _("channel's case number"), max_length=40, blank=True, db_default=""
    )
    legal_due_on = models.DateField(_("legal deadline"), null=True, blank=True)
    legal_working_days = models.PositiveSmallIntegerField(
        _("legal working days"), null=True, blank=True
    )
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
    def legal_met(self) -> bool | None:
        """Resolved by the end of the legal deadline's day: True or False;
        None while open and not yet past it, or without a legal clock."""
        if self.legal_due_on is None:
            return None
        if self.resolved_at is not None:
            return timezone.localdate(self.resolved_at) <= self.legal_due_on
        return False if timezone.localdate() > self.legal_due_on else None

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

    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.REQUESTED: "warning",
        State.APPROVED: "success",
        State.REJECTED: "danger",
    }

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
