"""Membership cards (会员卡) and the printer's batches of blank cards."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import audited
from members.models.common import StateMachineMixin
from members.models.members import Member


@audited()
class CardBatch(models.Model):
    """A batch of blank cards received from the printer (card stock)."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    code = models.CharField(_("batch code"), max_length=32)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("card batch")
        verbose_name_plural = _("card batches")
        ordering = ["-received_on"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="cardbatch_code_unique_in_mall")
        ]

    def __str__(self) -> str:
        return self.code


@audited()
class Card(StateMachineMixin, models.Model):
    """A membership card (会员卡). The desk's stages: 申请/登记 is the member's
    registration, 发卡 is `issued`, 录入系统 is `active`."""

    class Status(models.TextChoices):
        STOCK = "stock", _("in stock")
        ISSUED = "issued", _("issued, not yet entered")
        ACTIVE = "active", pgettext_lazy("card status", "active")
        LOST = "lost", _("reported lost")
        FROZEN = "frozen", _("frozen")
        REPLACED = "replaced", _("replaced")
        VOID = "void", _("void")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.STOCK: {Status.ISSUED, Status.VOID},
        Status.ISSUED: {Status.ACTIVE, Status.LOST, Status.VOID},
        Status.ACTIVE: {Status.LOST, Status.FROZEN},
        Status.LOST: {Status.FROZEN},
        Status.FROZEN: {Status.ACTIVE, Status.REPLACED},
    }
    # A member holds at most one card in these states.
    CURRENT = (Status.ISSUED, Status.ACTIVE, Status.LOST, Status.FROZEN)

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    batch = models.ForeignKey(CardBatch, models.PROTECT, related_name="cards")
    number = models.CharField(_("card number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STOCK
    )
    member = models.ForeignKey(
        Member,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("member"),
    )
    replaces = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership card")
        verbose_name_plural = _("membership cards")
        ordering = ["number"]
        constraints = [
            # A card in stock belongs to nobody; an issued one to somebody.
            models.CheckConstraint(
                condition=models.Q(status="stock", member__isnull=True)
                | models.Q(status="void", member__isnull=True)
                | (~models.Q(status__in=["stock"]) & models.Q(member__isnull=False)),
                name="card_member_matches_status",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["issued", "active", "lost", "frozen"]),
                name="card_one_current_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "status", "number"], name="card_stock_pick"),
            # Cards stuck at a stage (issued not entered, lost not frozen).
            models.Index(fields=["mall", "status", "status_changed_at"], name="card_stuck"),
        ]

    def __str__(self) -> str:
        return self.number
