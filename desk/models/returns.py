"""Returns and exchanges (退换货): a customer brings goods back to a shop and
the desk mediates — the customer, the shop, the goods and receipt, the
reason, the shop's answer and the desk's mediation (`ReturnStep`, the
case's readable timeline), and the outcome with the shop contact's
confirmation. A case that turns into a complaint links to it."""

from __future__ import annotations

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


class ReturnCaseQuerySet(models.QuerySet):
    def live(self) -> ReturnCaseQuerySet:
        return self.filter(status__in=ReturnCase.LIVE)


@audited()
class ReturnCase(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class Reason(models.TextChoices):
        QUALITY = "quality", _("quality problem")
        SIZE = "size", _("wrong size or fit")
        CHANGED_MIND = "changed_mind", _("changed mind (no reason)")
        OTHER = "other", pgettext_lazy("return reason", "other")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the shop")
        MEDIATING = "mediating", _("mediating")
        SETTLED = "settled", _("settled")
        ESCALATED = "escalated", _("became a complaint")

    class Outcome(models.TextChoices):
        REFUND = "refund", _("refund")
        EXCHANGE = "exchange", _("exchange")
        REPAIR = "repair", _("repair")
        REFUSED = "refused", pgettext_lazy("return outcome", "refused")

    LIVE: ClassVar[tuple[str, ...]] = (Status.OPEN, Status.MEDIATING)
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.OPEN: {Status.MEDIATING, Status.SETTLED, Status.ESCALATED},
        Status.MEDIATING: {Status.SETTLED, Status.ESCALATED},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        Status.OPEN: "warning",
        Status.MEDIATING: "info",
        Status.SETTLED: "success",
        Status.ESCALATED: "danger",
    }
    CONSTRAINT_MESSAGES: ClassVar[dict] = {
        "returncase_settled_confirmed": (
            "shop_contact_name",
            _("The shop contact confirms the outcome: enter their name."),
        ),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(pgettext_lazy("return", "reference number"), max_length=20)
    customer_name = models.CharField(_("customer"), max_length=50)
    customer_phone = models.CharField(_("customer's phone"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "mallservice.Unit", models.PROTECT, related_name="+", verbose_name=_("shop")
    )
    goods = models.CharField(_("goods"), max_length=200)
    receipt_number = models.CharField(_("receipt number"), max_length=50, blank=True)
    purchased_on = models.DateField(_("bought on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    customer_request = models.TextField(
        _("what the customer says and asks"), help_text=_("The problem and what they want.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"))
    outcome = models.CharField(
        pgettext_lazy("return", "outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    outcome_note = models.TextField(_("details of the outcome"), blank=True)
    # 商户确认: the shop's person who agreed to the outcome, and when.
    shop_contact_name = models.CharField(
        _("confirmed by (shop contact)"), max_length=50, blank=True
    )
    shop_confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settled by"),
    )
    # The complaint this case became (complaints does not know the desk).
    complaint = models.OneToOneField(
        "complaints.Complaint",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint"),
    )

    objects = ReturnCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("return or exchange")
        verbose_name_plural = _("returns and exchanges")
        ordering = ["-created_at", "-pk"]
        permissions = [("settle_returncase", "Can record the outcome of a return or exchange")]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "reference"], name="returncase_reference_unique_in_mall"
            ),
            # Settled means an outcome confirmed by a named shop contact at a time.
            models.CheckConstraint(
                condition=~models.Q(status="settled")
                | (
                    ~models.Q(outcome="")
                    & ~models.Q(shop_contact_name="")
                    & models.Q(shop_confirmed_at__isnull=False)
                ),
                name="returncase_settled_confirmed",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="escalated") | models.Q(complaint__isnull=False),
                name="returncase_escalated_has_complaint",
            ),
        ]
        indexes = [
            # The list: a mall's cases, newest first (the bench's 200,000).
            models.Index(fields=["mall", "-created_at", "-id"], name="returncase_mall_recent"),
            models.Index(
                fields=["mall", "status"],
                condition=models.Q(status__in=["open", "mediating"]),
                name="returncase_live",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("desk:return_detail", args=[self.pk])


@audited()
class ReturnStep(models.Model):
    """One step of the mediation: what the shop answered, or what the desk
    did or said (调解) — the case's readable timeline."""

    class Kind(models.TextChoices):
        SHOP_ANSWER = "shop_answer", _("shop's answer")
        MEDIATION = "mediation", _("desk's mediation")

    case = models.ForeignKey(
        ReturnCase, models.PROTECT, related_name="steps", verbose_name=_("return or exchange")
    )
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"))

    class Meta:
        verbose_name = _("return mediation step")
        verbose_name_plural = _("return mediation steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
