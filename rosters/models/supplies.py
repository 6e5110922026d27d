"""Office supplies (办公用品): items, expected use, requisitions."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.workflow import StateMachineMixin
from rosters.models.roster import Post


@audited()
class SupplyItem(models.Model):
    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(pgettext_lazy("measure", "unit"), max_length=10, default="个")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office supply item")
        verbose_name_plural = _("office supply items")
        ordering = ["mall", "code"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="supplyitem_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class SupplyAllowance(models.Model):
    """预损耗量: how much of an item a post is expected to use in a month."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    post = models.ForeignKey(
        Post, models.PROTECT, related_name="supply_allowances", verbose_name=_("post")
    )
    item = models.ForeignKey(
        SupplyItem, models.PROTECT, related_name="allowances", verbose_name=_("item")
    )
    monthly_quantity = models.PositiveIntegerField(_("expected use per month"))

    class Meta:
        verbose_name = _("expected monthly use")
        verbose_name_plural = _("expected monthly use")
        ordering = ["post", "item"]
        constraints = [
            models.UniqueConstraint(fields=["post", "item"], name="supplyallowance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.item_id} {self.monthly_quantity}"


@audited()
class SupplyRequisition(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """领用单: who asks for what, how many and why; a supervisor approves and
    the issue is recorded. Use counts what was issued."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved, to issue")
        REJECTED = "rejected", _("rejected")
        ISSUED = "issued", _("issued")

    OPEN_STATES = ("requested", "approved")
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.REQUESTED: "warning",
        State.APPROVED: "info",
        State.REJECTED: "danger",
        State.ISSUED: "success",
    }
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "requested": {"approved", "rejected"},
        "approved": {"issued"},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    post = models.ForeignKey(Post, models.PROTECT, related_name="+", verbose_name=_("post"))
    item = models.ForeignKey(
        SupplyItem, models.PROTECT, related_name="requisitions", verbose_name=_("item")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(pgettext_lazy("supplies", "issued at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "supplyrequisition_quantity_positive": ("quantity", _("At least one.")),
    }

    class Meta:
        verbose_name = _("supply requisition")
        verbose_name_plural = _("supply requisitions")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_supplyrequisition", "Can approve and issue office supplies")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="supplyrequisition_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(state="requested")
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="supplyrequisition_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="issued")
                | models.Q(issued_by__isnull=False, issued_at__isnull=False),
                name="supplyrequisition_issued_has_who_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "state"], name="supplyreq_mall_state"),
            models.Index(fields=["mall", "issued_at"], name="supplyreq_mall_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"
