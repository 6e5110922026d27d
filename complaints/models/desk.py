"""The desk's vocabulary and each mall's configuration: the choices every
case uses, categories, admin-named statuses, SLA policies, desk settings and
the reference counter."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin


class StatusCategory(models.TextChoices):
    """The fixed meaning behind every admin-named status. SLA and reports key
    off the category, never off a status name."""

    OPEN = "open", _("open")
    PAUSED = "paused", _("paused")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class Channel(models.TextChoices):
    """Where a complaint came from. The public channels (12315, market
    regulation, 12345) carry a legal clock in working days and their own
    case number (`complaints.models.legal`)."""

    DESK = "desk", _("at the desk")
    PHONE = "phone", _("phone")
    QR = "qr", _("QR code")
    TWELVE315 = "12315", _("12315 platform")
    REGULATOR = "regulator", _("market regulation bureau")
    TWELVE345 = "12345", _("12345 hotline")
    WECHAT_PAY = "wechat_pay", _("WeChat Pay complaint")
    PLATFORM = "platform", _("other online platform")
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
