"""Incoming parcels and their pick-ups (邮件领取)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mailroom.models.common import ID_LAST4_HELP, StateMachineMixin, id_last4_validator
from mailroom.models.departments import Carrier, Department
from mailroom.models.notices import parcel_source
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.notifications.models import Message
from mallservice.uploads import RandomName


class PickupVerification(models.TextChoices):
    ID_LAST4 = "id_last4", _("ID card (last four digits)")
    STAFF_BADGE = "staff_badge", _("staff badge")


@audited()
class ParcelPickup(ConstraintMessagesMixin, models.Model):
    """One hand-over at the desk: a collector signs for one or more parcels."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    collector_name = models.CharField(_("collector's name"), max_length=50)
    verification = models.CharField(
        _("verified by"), max_length=16, choices=PickupVerification.choices
    )
    id_last4 = models.CharField(
        _("ID last four digits"),
        max_length=4,
        blank=True,
        validators=[id_last4_validator],
        help_text=ID_LAST4_HELP,
    )
    staff_badge = models.CharField(_("staff badge number"), max_length=30, blank=True)
    signature = models.FileField(_("signature"), upload_to=RandomName("mailroom/signatures"))
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("parcel", "handed over by"),
    )
    at = models.DateTimeField(_("collected at"), db_index=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mailroom_pickup_verified": (
            "verification",
            _("Enter the last four characters of the ID card or the staff badge number."),
        ),
        "mailroom_pickup_signed": ("signature", _("The collector must sign.")),
        "mailroom_pickup_collector_named": ("collector_name", _("Enter the collector's name.")),
    }

    class Meta:
        verbose_name = _("parcel pick-up")
        verbose_name_plural = _("parcel pick-ups")
        ordering = ["-at"]
        constraints = [
            # Pick-up requires verification: an ID tail or a staff badge.
            models.CheckConstraint(
                condition=(Q(verification="id_last4") & Q(id_last4__regex=r"^\d{3}[0-9Xx]$"))
                | (Q(verification="staff_badge") & ~Q(staff_badge="")),
                name="mailroom_pickup_verified",
            ),
            models.CheckConstraint(condition=~Q(signature=""), name="mailroom_pickup_signed"),
            models.CheckConstraint(
                condition=~Q(collector_name=""), name="mailroom_pickup_collector_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collector_name} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


@audited()
class Parcel(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """An incoming parcel or letter waiting on a shelf for its recipient."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for pick-up")
        COLLECTED = "collected", _("collected")
        RETURNED = "returned", _("returned to sender")

    TRANSITIONS = {
        Status.WAITING: {Status.COLLECTED, Status.RETURNED},
        Status.COLLECTED: set(),
        Status.RETURNED: set(),
    }

    class RecipientKind(models.TextChoices):
        UNIT = "unit", _("shop / unit")
        DEPARTMENT = "department", _("department")
        STAFF = "staff", _("staff member")
        CUSTOMER = "customer", _("customer")

    class Size(models.TextChoices):
        LETTER = "letter", _("letter / document")
        SMALL = "small", _("small parcel")
        MEDIUM = "medium", _("medium parcel")
        LARGE = "large", _("large parcel")
        COLD = "cold", _("cold-chain / fresh")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    carrier = models.CharField(_("carrier"), max_length=16, choices=Carrier.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    recipient_kind = models.CharField(
        _("recipient type"), max_length=16, choices=RecipientKind.choices
    )
    recipient_unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shop / unit"),
    )
    recipient_department = models.CharField(
        _("department"), max_length=32, choices=Department.choices, blank=True
    )
    recipient_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    recipient_name = models.CharField(_("recipient name"), max_length=50, blank=True)
    recipient_phone = models.CharField(_("recipient phone"), max_length=20, blank=True)
    size = models.CharField(
        pgettext_lazy("parcel", "size"), max_length=16, choices=Size.choices, default=Size.SMALL
    )
    shelf = models.CharField(_("shelf"), max_length=20)
    pickup_code = models.CharField(_("pick-up code"), max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("parcel", "received by"),
    )
    received_at = models.DateTimeField(pgettext_lazy("parcel", "received at"))
    # Due times of the reminder and the escalation; the dispatcher claims the
    # rows whose time has come and stamps *_sent_at so each fires exactly once.
    reminder_due_at = models.DateTimeField(_("reminder due"))
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    escalation_due_at = models.DateTimeField(_("escalation due"))
    escalation_sent_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    pickup = models.ForeignKey(
        ParcelPickup,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="parcels",
        verbose_name=_("pick-up"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    return_reason = models.CharField(_("reason for return"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mailroom_parcel_recipient_given": ("recipient_kind", _("Name the recipient.")),
    }

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["-received_at"]
        indexes = [
            # Lookup by scanned tracking number and by pick-up code must stay
            # fast at 500,000 parcels.
            models.Index(fields=["tracking_number"], name="mailroom_parcel_tracking"),
            models.Index(fields=["mall", "pickup_code"], name="mailroom_parcel_code"),
            models.Index(fields=["mall", "status", "-received_at"], name="mailroom_parcel_status"),
            models.Index(
                fields=["reminder_due_at"],
                name="mailroom_parcel_remind_due",
                condition=Q(status="waiting", reminder_sent_at__isnull=True),
            ),
            models.Index(
                fields=["escalation_due_at"],
                name="mailroom_parcel_escal_due",
                condition=Q(status="waiting", escalation_sent_at__isnull=True),
            ),
        ]
        constraints = [
            # A code identifies one waiting parcel in a mall; codes are reused
            # once a parcel has left.
            models.UniqueConstraint(
                fields=["mall", "pickup_code"],
                condition=Q(status="waiting"),
                name="mailroom_parcel_code_unique_waiting",
            ),
            # A double scan must not log the same parcel twice.
            models.UniqueConstraint(
                fields=["mall", "tracking_number"],
                condition=Q(status="waiting"),
                name="mailroom_parcel_tracking_unique_waiting",
            ),
            models.CheckConstraint(
                condition=(Q(recipient_kind="unit") & Q(recipient_unit__isnull=False))
                | (Q(recipient_kind="department") & ~Q(recipient_department=""))
                | (Q(recipient_kind="staff") & Q(recipient_staff__isnull=False))
                | (Q(recipient_kind="customer") & ~Q(recipient_name="")),
                name="mailroom_parcel_recipient_given",
            ),
            models.CheckConstraint(
                condition=(Q(status="collected") & Q(pickup__isnull=False))
                | (~Q(status="collected") & Q(pickup__isnull=True)),
                name="mailroom_parcel_collected_has_pickup",
            ),
            models.CheckConstraint(
                condition=(Q(status="returned") & Q(returned_at__isnull=False))
                | (~Q(status="returned") & Q(returned_at__isnull=True)),
                name="mailroom_parcel_returned_has_time",
            ),
            models.CheckConstraint(
                condition=Q(escalation_due_at__gte=models.F("reminder_due_at")),
                name="mailroom_parcel_escalation_after_reminder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_carrier_display()} {self.tracking_number}"

    def get_absolute_url(self) -> str:
        return reverse("mailroom:parcel_detail", args=[self.pk])

    @property
    def notifications(self) -> models.QuerySet[Message]:
        """Its notices in the shared outbox, oldest first."""
        return Message.objects.filter(source=parcel_source(self.pk)).order_by("created_at", "pk")

    @property
    def recipient_label(self) -> str:
        if self.recipient_kind == self.RecipientKind.UNIT and self.recipient_unit_id:
            label = str(self.recipient_unit)
        elif self.recipient_kind == self.RecipientKind.DEPARTMENT:
            label = str(self.get_recipient_department_display())
        elif self.recipient_kind == self.RecipientKind.STAFF and self.recipient_staff_id:
            label = str(self.recipient_staff)
        else:
            label = ""
        if self.recipient_name and self.recipient_name != label:
            label = f"{label} · {self.recipient_name}" if label else self.recipient_name
        return label
