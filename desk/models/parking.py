"""Parking validation (停车减免): a member, or a customer with receipts,
gets free parking hours on a plate by the mall's rules — hours by member
tier (`ParkingTierHours`) plus hours by the receipts' total
(`ParkingSpendRule`, e.g. ≥200 元 → 2 h, ≥500 元 → 4 h), both set per mall
by managers. The desk records the validation with the receipts used (a
receipt validates once) and sends it to the car-park system
(`desk.carpark`)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from desk.models.common import StateMachineMixin
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessagesMixin


@audited()
class ParkingSpendRule(ConstraintMessagesMixin, models.Model):
    """Receipts totalling at least `min_amount` give `hours`; the highest
    threshold reached counts. A mall without rows uses the defaults
    (`desk.services.parking.DEFAULT_SPEND_RULES`)."""

    CONSTRAINT_MESSAGES: ClassVar[dict] = {
        "parking_spend_rule_positive": ("hours", _("Give at least one hour.")),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    min_amount = models.DecimalField(_("receipts from (yuan)"), max_digits=10, decimal_places=2)
    hours = models.PositiveSmallIntegerField(_("free hours"))

    class Meta:
        verbose_name = _("parking spend rule")
        verbose_name_plural = _("parking spend rules")
        ordering = ["mall", "min_amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "min_amount"], name="parking_spend_rule_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="parking_spend_rule_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_amount} → {self.hours} h"


@audited()
class ParkingTierHours(models.Model):
    """Free hours a member of `tier` gets on each visit (金卡 3 h …)."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    tier = models.OneToOneField(
        "members.Tier", models.PROTECT, related_name="+", verbose_name=_("tier")
    )
    hours = models.PositiveSmallIntegerField(_("free hours"))

    class Meta:
        verbose_name = _("parking hours by tier")
        verbose_name_plural = _("parking hours by tier")
        ordering = ["mall", "tier"]

    def __str__(self) -> str:
        return f"{self.tier_id} → {self.hours} h"

    def clean(self) -> None:
        if self.tier_id and self.mall_id and self.tier.mall_id != self.mall_id:
            raise ValidationError({"tier": _("This tier belongs to another mall.")})


@audited()
class ParkingValidation(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class Status(models.TextChoices):
        RECORDED = "recorded", _("recorded, not yet at the car park")
        APPLIED = "applied", _("applied at the car park")
        FAILED = "failed", _("car park refused or unreachable")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.RECORDED: {Status.APPLIED, Status.FAILED},
        # Sent again from the validation's page.
        Status.FAILED: {Status.APPLIED, Status.FAILED},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        Status.RECORDED: "secondary",
        Status.APPLIED: "success",
        Status.FAILED: "danger",
    }
    CONSTRAINT_MESSAGES: ClassVar[dict] = {
        "parking_hours_positive": (
            None,
            _("These receipts and this member give no free parking under the mall's rules."),
        ),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(pgettext_lazy("parking", "validation number"), max_length=20)
    # Stored without spaces or the middle dot: 沪A3K721, 沪AD12345.
    plate = models.CharField(_("plate number"), max_length=10)
    member = models.ForeignKey(
        "members.Member",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    tier_hours = models.PositiveSmallIntegerField(_("hours for the member's tier"), default=0)
    spend_amount = models.DecimalField(
        _("receipts total (yuan)"), max_digits=10, decimal_places=2, default=0
    )
    spend_hours = models.PositiveSmallIntegerField(_("hours for the receipts"), default=0)
    hours = models.PositiveSmallIntegerField(_("free hours"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECORDED
    )
    carpark_reference = models.CharField(_("car park's reference"), max_length=40, blank=True)
    carpark_message = models.CharField(_("car park's answer"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("parking validation")
        verbose_name_plural = _("parking validations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "reference"], name="parking_reference_unique_in_mall"
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="parking_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(status="applied", applied_at__isnull=False)
                | (~models.Q(status="applied") & models.Q(applied_at__isnull=True)),
                name="parking_applied_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "-created_at", "-id"], name="parking_mall_recent"),
            models.Index(fields=["mall", "plate", "-created_at"], name="parking_mall_plate"),
            models.Index(
                fields=["mall", "status"],
                condition=models.Q(status="failed"),
                name="parking_failed",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("desk:parking_detail", args=[self.pk])


@audited()
class ParkingReceipt(models.Model):
    """A receipt used for a validation: it validates once in its mall."""

    validation = models.ForeignKey(
        ParkingValidation,
        models.PROTECT,
        related_name="receipts",
        verbose_name=_("parking validation"),
    )
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    receipt_no = models.CharField(_("receipt number"), max_length=40)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("receipt used for parking")
        verbose_name_plural = _("receipts used for parking")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "receipt_no"], name="parking_receipt_once_in_mall"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="parking_receipt_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_no
