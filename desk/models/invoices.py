"""Invoice requests (发票申请): a customer whose purchases were paid at the
mall's central cashier asks the desk for an invoice — title (抬头), taxpayer
number, amount, the receipts it covers and an e-mail for the e-invoice. The
finance contact works the queue: issued, e-mailed, or refused with a
reason. A receipt is invoiced once: a request that is not refused holds
its receipts (`InvoiceReceipt`, unique per mall while held)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from desk.models.common import StateMachineMixin
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessagesMixin


@audited()
class InvoiceRequest(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting finance")
        ISSUED = "issued", pgettext_lazy("invoice", "issued")
        EMAILED = "emailed", _("e-mailed")
        REFUSED = "refused", pgettext_lazy("invoice", "refused")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.REQUESTED: {Status.ISSUED, Status.REFUSED},
        Status.ISSUED: {Status.EMAILED},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        Status.REQUESTED: "warning",
        Status.ISSUED: "info",
        Status.EMAILED: "success",
        Status.REFUSED: "danger",
    }
    CONSTRAINT_MESSAGES: ClassVar[dict] = {
        "invoice_amount_positive": ("amount", _("The amount must be more than zero.")),
        "invoice_refusal_has_reason": ("refusal_reason", _("Give the reason for refusing.")),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(pgettext_lazy("invoice", "request number"), max_length=20)
    title = models.CharField(_("invoice title"), max_length=100)
    # 统一社会信用代码 / 纳税人识别号; blank for a personal invoice.
    taxpayer_number = models.CharField(_("taxpayer number"), max_length=20, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    email = models.EmailField(_("e-mail for the e-invoice"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"))
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    decided_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        ordering = ["-created_at", "-pk"]
        permissions = [("issue_invoicerequest", "Can issue or refuse an invoice request")]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "reference"], name="invoice_reference_unique_in_mall"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="invoice_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="invoice_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["issued", "emailed"], invoice_number__gt="")
                | ~models.Q(status__in=["issued", "emailed"]),
                name="invoice_issued_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "-created_at", "-id"], name="invoice_mall_recent"),
            # The list's search by part of the title (a company's name).
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="invoice_title_trgm"),
            # The finance queue.
            models.Index(
                fields=["mall", "created_at"],
                condition=models.Q(status="requested"),
                name="invoice_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("desk:invoice_detail", args=[self.pk])


@audited()
class InvoiceReceipt(models.Model):
    """One receipt an invoice request covers. `held` is true while the
    request is not refused; the partial unique constraint then refuses the
    same receipt number in a second request of the mall, even from two
    desks at once."""

    request = models.ForeignKey(
        InvoiceRequest, models.PROTECT, related_name="receipts", verbose_name=_("invoice request")
    )
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    receipt_no = models.CharField(_("receipt number"), max_length=40)
    held = models.BooleanField(_("held by the request"), default=True)

    class Meta:
        verbose_name = _("invoiced receipt")
        verbose_name_plural = _("invoiced receipts")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "receipt_no"],
                condition=models.Q(held=True),
                name="invoice_receipt_once_in_mall",
            )
        ]
        indexes = [
            # The list's search by a receipt number, held or given back.
            models.Index(fields=["receipt_no"], name="invoice_receipt_no"),
        ]

    def __str__(self) -> str:
        return self.receipt_no
