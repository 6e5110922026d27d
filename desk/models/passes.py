"""Goods release passes (放行条): a shop asks to take goods out (items,
quantity, vehicle, time window); the desk approves or refuses with a
reason; security at the exit opens the pass by its code on a phone and
marks it used — once. "No large goods leave without a pass signed by the
management office" (source document, security duties)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from desk.models.common import StateMachineMixin
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessagesMixin


@audited()
class ReleasePass(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", pgettext_lazy("release pass", "approved")
        REFUSED = "refused", pgettext_lazy("release pass", "refused")
        USED = "used", _("used at the exit")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.REQUESTED: {Status.APPROVED, Status.REFUSED},
        Status.APPROVED: {Status.USED},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        Status.REQUESTED: "warning",
        Status.APPROVED: "success",
        Status.REFUSED: "danger",
        Status.USED: "secondary",
    }
    CONSTRAINT_MESSAGES: ClassVar[dict] = {
        "releasepass_window_in_order": ("valid_until", _("The end must be after the start.")),
        "releasepass_quantity_positive": ("quantity", _("At least one piece.")),
        "releasepass_refusal_has_reason": ("refusal_reason", _("Give the reason for refusing.")),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(pgettext_lazy("release pass", "pass number"), max_length=20)
    # What security types or scans at the exit: short, no look-alike letters.
    code = models.CharField(_("check code"), max_length=8, unique=True)
    unit = models.ForeignKey(
        "mallservice.Unit", models.PROTECT, related_name="+", verbose_name=_("shop")
    )
    contact_name = models.CharField(_("shop contact"), max_length=50)
    items = models.TextField(_("goods"))
    quantity = models.PositiveIntegerField(_("pieces"))
    vehicle = models.CharField(_("vehicle plate"), max_length=20, blank=True)
    valid_from = models.DateTimeField(pgettext_lazy("release pass", "from"))
    valid_until = models.DateTimeField(pgettext_lazy("release pass", "until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=200, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )

    class Meta:
        verbose_name = _("goods release pass")
        verbose_name_plural = _("goods release passes")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("decide_releasepass", "Can approve or refuse a goods release pass"),
            ("use_releasepass", "Can check a goods release pass at the exit"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "reference"], name="releasepass_reference_unique_in_mall"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")),
                name="releasepass_window_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="releasepass_quantity_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="releasepass_refusal_has_reason",
            ),
            # Used once, and only an approved pass.
            models.CheckConstraint(
                condition=models.Q(status="used", used_at__isnull=False)
                | (~models.Q(status="used") & models.Q(used_at__isnull=True)),
                name="releasepass_used_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "-created_at", "-id"], name="releasepass_mall_recent"),
            models.Index(
                fields=["mall", "status"],
                condition=models.Q(status="requested"),
                name="releasepass_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("desk:pass_detail", args=[self.pk])

    def exit_state(self, now: datetime.datetime | None = None) -> str:
        """What security is told at the exit: "valid", "not_yet",
        "expired", "used", "refused" or "requested"."""
        now = now or timezone.now()
        if self.status != self.Status.APPROVED:
            return self.status
        if now < self.valid_from:
            return "not_yet"
        if now > self.valid_until:
            return "expired"
        return "valid"
