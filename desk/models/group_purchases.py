"""Group purchases (团购): a company asks the desk for gift cards or
vouchers in quantity (contact, quantity, budget, the date wanted); the desk
quotes, the accepted order is handed to marketing, then delivery and
payment are confirmed. Marketing reads the month's list."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from desk.models.common import StateMachineMixin
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessagesMixin


@audited()
class GroupPurchase(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class Product(models.TextChoices):
        GIFT_CARD = "gift_card", _("gift cards")
        VOUCHER = "voucher", _("vouchers")

    class Status(models.TextChoices):
        ENQUIRY = "enquiry", _("enquiry")
        QUOTED = "quoted", _("quoted")
        ORDERED = "ordered", _("ordered, with marketing")
        DELIVERED = "delivered", pgettext_lazy("group purchase", "delivered")
        PAID = "paid", _("delivered and paid")
        CANCELLED = "cancelled", pgettext_lazy("group purchase", "cancelled")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.ENQUIRY: {Status.QUOTED, Status.CANCELLED},
        Status.QUOTED: {Status.QUOTED, Status.ORDERED, Status.CANCELLED},
        Status.ORDERED: {Status.DELIVERED, Status.CANCELLED},
        Status.DELIVERED: {Status.PAID},
    }
    # Not finished; with marketing (ordered, not yet paid).
    LIVE: ClassVar[list[str]] = [Status.ENQUIRY, Status.QUOTED, Status.ORDERED, Status.DELIVERED]
    WITH_MARKETING: ClassVar[list[str]] = [Status.ORDERED, Status.DELIVERED]
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        Status.ENQUIRY: "warning",
        Status.QUOTED: "info",
        Status.ORDERED: "primary",
        Status.DELIVERED: "secondary",
        Status.PAID: "success",
        Status.CANCELLED: "dark",
    }
    CONSTRAINT_MESSAGES: ClassVar[dict] = {
        "group_purchase_quantity_positive": ("quantity", _("At least one piece.")),
        "group_purchase_budget_not_negative": ("budget", _("The budget cannot be negative.")),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(pgettext_lazy("group purchase", "order number"), max_length=20)
    company = models.CharField(_("company"), max_length=100)
    contact_name = models.CharField(_("contact"), max_length=50)
    contact_phone = models.CharField(_("contact's phone"), max_length=20)
    product = models.CharField(_("product"), max_length=10, choices=Product.choices)
    face_value = models.PositiveIntegerField(_("face value each (yuan)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, default=0)
    wanted_on = models.DateField(_("wanted on"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ENQUIRY
    )
    quoted_total = models.DecimalField(
        _("quoted total (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"))
    ordered_at = models.DateTimeField(_("handed to marketing at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("group purchase")
        verbose_name_plural = _("group purchases")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("handle_grouppurchase", "Can confirm a group purchase's delivery and payment")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "reference"], name="group_purchase_reference_unique_in_mall"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="group_purchase_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="group_purchase_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["ordered", "delivered", "paid"])
                | models.Q(quoted_total__isnull=False, ordered_at__isnull=False),
                name="group_purchase_ordered_was_quoted",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "-created_at", "-id"], name="grouppurchase_mall_recent"),
            # The list's search by part of the company's name.
            GinIndex(
                OpClass(Upper("company"), name="gin_trgm_ops"), name="grouppurchase_company_trgm"
            ),
            # Marketing's month: the orders handed over in it.
            models.Index(
                fields=["mall", "ordered_at"],
                condition=models.Q(ordered_at__isnull=False),
                name="grouppurchase_mall_ordered",
            ),
            models.Index(
                fields=["mall", "status"],
                condition=models.Q(status__in=["enquiry", "quoted", "ordered", "delivered"]),
                name="grouppurchase_live",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("desk:group_detail", args=[self.pk])

    @property
    def face_total(self) -> int:
        return self.face_value * self.quantity


@audited()
class GroupPurchaseQuote(models.Model):
    """A quote given to the company (报价): the purchase's readable timeline
    of prices; the latest is the one the order takes."""

    purchase = models.ForeignKey(
        GroupPurchase, models.PROTECT, related_name="quotes", verbose_name=_("group purchase")
    )
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    total = models.DecimalField(_("quoted total (yuan)"), max_digits=12, decimal_places=2)
    terms = models.CharField(_("terms"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("group purchase quote")
        verbose_name_plural = _("group purchase quotes")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gt=0), name="group_quote_positive")
        ]

    def __str__(self) -> str:
        return f"{self.purchase_id} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
