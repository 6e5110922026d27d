"""The points ledger (积分), gifts, the mall's receipt policy and the
adjustments waiting for a supervisor."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mallservice.audit import append_only_triggers, audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from members.models.common import StateMachineMixin
from members.models.members import Member


@audited()
class Gift(ConstraintMessagesMixin, models.Model):
    """A gift of the points catalogue (积分换购) with its stock."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    name = models.CharField(_("name"), max_length=100)
    points_cost = models.PositiveIntegerField(_("points"))
    stock = models.IntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "gift_stock_not_negative": ("stock", _("Must not be negative.")),
        "gift_cost_positive": ("points_cost", _("Must be more than zero.")),
    }

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["mall", "points_cost"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="gift_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(points_cost__gt=0), name="gift_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PointsEntry(models.Model):
    """One line of the append-only points ledger; the balance is its sum."""

    class Kind(models.TextChoices):
        EARN = "earn", _("earned from a receipt")
        REDEEM = "redeem", _("redeemed for a gift")
        ADJUST = "adjust", _("adjustment")
        EXPIRE = "expire", _("expired")
        MERGE_IN = "merge_in", _("moved in by a merge")
        MERGE_OUT = "merge_out", _("moved out by a merge")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    member = models.ForeignKey(Member, models.PROTECT, related_name="points_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    points = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    shop = models.ForeignKey(
        "mallservice.Unit", models.PROTECT, null=True, blank=True, verbose_name=_("shop")
    )
    receipt_no = models.CharField(_("receipt number"), max_length=40, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    gift = models.ForeignKey(Gift, models.PROTECT, null=True, blank=True, verbose_name=_("gift"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-at", "-pk"]
        triggers = append_only_triggers()
        constraints = [
            # "shop + receipt number can earn only once"
            models.UniqueConstraint(
                fields=["shop", "receipt_no"],
                condition=models.Q(kind="earn"),
                name="points_receipt_earns_once",
            ),
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0), name="points_balance_after_not_negative"
            ),
            models.CheckConstraint(condition=~models.Q(points=0), name="points_not_zero"),
        ]
        indexes = [models.Index(fields=["member", "-at"], name="points_member_at")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.points:+d}"


@audited()
class PointsPolicy(models.Model):
    """One mall's limits on receipt points (小票积分); a mall without a row
    uses the defaults. A receipt above a limit, or whose number another shop
    of the mall already took, waits for a supervisor when desk staff enter it."""

    mall = models.OneToOneField(
        "mallservice.Mall", models.PROTECT, related_name="points_policy", verbose_name=_("mall")
    )
    receipt_max_amount = models.DecimalField(
        _("largest receipt without approval (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("20000"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    daily_max_points = models.PositiveIntegerField(
        _("most receipt points a member earns a day without approval"),
        default=50000,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("points policy")
        verbose_name_plural = _("points policies")

    def __str__(self) -> str:
        return str(self.mall)

    @classmethod
    def for_mall(cls, mall_id: int) -> PointsPolicy:
        return cls.objects.filter(mall_id=mall_id).first() or cls(mall_id=mall_id)


@audited()
class PointsAdjustment(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """A manual adjustment above the approval size, or a receipt the mall's
    points policy holds back (shop, receipt number and amount filled in),
    waiting for a supervisor."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Hold(models.TextChoices):
        """Why a receipt waits (stored as its reason)."""

        AMOUNT = "receipt_over_amount", _("the receipt is above the mall's limit")
        DAILY = "over_daily_points", _("over the member's receipt points for the day")
        OTHER_SHOP = (
            "receipt_no_at_another_shop",
            _("the receipt number already earned at another shop"),
        )

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED},
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    member = models.ForeignKey(Member, models.PROTECT, related_name="adjustments")
    points = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    shop = models.ForeignKey(
        "mallservice.Unit", models.PROTECT, null=True, blank=True, verbose_name=_("shop")
    )
    receipt_no = models.CharField(_("receipt number"), max_length=40, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "adjustment_not_zero": ("points", _("Must not be zero.")),
    }

    class Meta:
        verbose_name = _("points adjustment")
        verbose_name_plural = _("points adjustments")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(points=0), name="adjustment_not_zero"),
            # A receipt waits for approval once.
            models.UniqueConstraint(
                fields=["shop", "receipt_no"],
                condition=models.Q(status="pending") & ~models.Q(receipt_no=""),
                name="adjustment_receipt_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.points:+d} {self.status}"

    @property
    def reason_label(self) -> str:
        if self.receipt_no and self.reason in self.Hold.values:
            return str(self.Hold(self.reason).label)
        return self.reason
