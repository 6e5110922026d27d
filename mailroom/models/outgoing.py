"""Outgoing mail: items departments hand in, sent in courier batches."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailroom.models.common import StateMachineMixin
from mailroom.models.departments import Carrier, Department
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin


@audited()
class DispatchBatch(models.Model):
    """Outgoing items handed to a courier together when they collect."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    carrier = models.CharField(_("carrier"), max_length=16, choices=Carrier.choices)
    courier_name = models.CharField(_("courier's name"), max_length=50, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("dispatched by")
    )
    dispatched_at = models.DateTimeField(_("dispatched at"))

    class Meta:
        verbose_name = _("dispatch batch")
        verbose_name_plural = _("dispatch batches")
        ordering = ["-dispatched_at"]

    def __str__(self) -> str:
        return (
            f"{self.get_carrier_display()} {timezone.localtime(self.dispatched_at):%Y-%m-%d %H:%M}"
        )


@audited()
class OutgoingMail(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for courier")
        DISPATCHED = "dispatched", _("dispatched")

    TRANSITIONS = {Status.WAITING: {Status.DISPATCHED}, Status.DISPATCHED: set()}

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    sender_department = models.CharField(
        _("sending department"), max_length=32, choices=Department.choices
    )
    sender_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    addressee = models.CharField(_("addressee"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    carrier = models.CharField(_("carrier"), max_length=16, choices=Carrier.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    cost = models.DecimalField(_("cost (CNY)"), max_digits=8, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    batch = models.ForeignKey(
        DispatchBatch,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("batch"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged at"))

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mailroom_outgoing_cost_positive": ("cost", _("Must not be negative.")),
    }

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-logged_at"]
        indexes = [models.Index(fields=["mall", "status", "logged_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gte=0), name="mailroom_outgoing_cost_positive"
            ),
            models.CheckConstraint(
                condition=(Q(status="dispatched") & Q(batch__isnull=False))
                | (Q(status="waiting") & Q(batch__isnull=True)),
                name="mailroom_outgoing_dispatched_in_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.addressee} ({self.get_carrier_display()})"
