"""The lending desk: wheelchairs, strollers, umbrellas lent against a deposit."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mailroom.models.common import ID_LAST4_HELP, id_last4_validator
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.uploads import RandomName


@audited()
class LendableAsset(ConstraintMessagesMixin, models.Model):
    """A wheelchair, stroller … lent at the desk. Taken out of service
    (damaged, at repair, lost) it cannot be lent; each change of service
    is in the row's history with who, when and why."""

    class Kind(models.TextChoices):
        WHEELCHAIR = "wheelchair", _("wheelchair")
        STROLLER = "stroller", _("stroller")
        UMBRELLA = "umbrella", _("umbrella")
        POWER_BANK = "power_bank", _("power bank")
        OTHER = "other", _("other")

    class OutOfService(models.TextChoices):
        DAMAGED = "damaged", pgettext_lazy("lending item", "damaged")
        REPAIR = "repair", _("away for repair")
        LOST = "lost", pgettext_lazy("lending item", "lost")
        OTHER = "other", _("other")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    tag = models.CharField(_("asset tag"), max_length=20)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=100, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)
    out_of_service_reason = models.CharField(
        _("out of service because"), max_length=8, choices=OutOfService.choices, blank=True
    )
    # The last change of service: taken out (what is wrong) or put back
    # (what was done); earlier ones are in the history.
    service_note = models.CharField(_("note"), max_length=200, blank=True)
    service_changed_at = models.DateTimeField(_("service changed at"), null=True, blank=True)
    service_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service changed by"),
    )

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mailroom_asset_out_of_service_has_reason": (
            "out_of_service_reason",
            _("Give the reason it is out of service."),
        ),
    }

    class Meta:
        verbose_name = _("lendable item")
        verbose_name_plural = _("lendable items")
        ordering = ["kind", "tag"]
        permissions = [
            ("service_lendableasset", _("Can take lending items out of and back into service"))
        ]
        constraints = [
            models.UniqueConstraint(fields=["mall", "tag"], name="mailroom_asset_tag_unique"),
            # Out of service always says why.
            models.CheckConstraint(
                condition=(Q(is_active=True) & Q(out_of_service_reason=""))
                | (Q(is_active=False) & ~Q(out_of_service_reason="")),
                name="mailroom_asset_out_of_service_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag} {self.get_kind_display()}"


@audited()
class Loan(ConstraintMessagesMixin, models.Model):
    """An item lent against a deposit. The deposit comes back only with the
    item (one desk handed an ID back early and the wheelchair vanished)."""

    class DepositKind(models.TextChoices):
        CASH = "cash", _("cash")
        ID_CARD = "id_card", _("ID card held")

    class Condition(models.TextChoices):
        GOOD = "good", _("good")
        DAMAGED = "damaged", _("damaged")
        INCOMPLETE = "incomplete", _("parts missing")

    asset = models.ForeignKey(
        LendableAsset, models.PROTECT, related_name="loans", verbose_name=_("item")
    )
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    borrower_name = models.CharField(_("borrower"), max_length=50)
    borrower_phone = models.CharField(_("borrower's phone"), max_length=20)
    deposit_kind = models.CharField(_("deposit"), max_length=8, choices=DepositKind.choices)
    deposit_amount = models.DecimalField(
        _("cash deposit (CNY)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    id_last4 = models.CharField(
        _("ID last four digits"),
        max_length=4,
        blank=True,
        validators=[id_last4_validator],
        help_text=ID_LAST4_HELP,
    )
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("lent by")
    )
    lent_at = models.DateTimeField(_("lent at"))
    due_at = models.DateTimeField(_("due back"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    return_condition = models.CharField(
        _("condition on return"), max_length=16, choices=Condition.choices, blank=True
    )
    return_note = models.CharField(_("return note"), max_length=200, blank=True)
    deposit_returned_at = models.DateTimeField(_("deposit returned at"), null=True, blank=True)
    # A cash deposit is signed for by the borrower on the screen and a
    # deposit slip (押金单) printed: the desk owes the money back.
    borrower_signature = models.FileField(
        _("borrower's signature"), upload_to=RandomName("mailroom/loan-signatures"), blank=True
    )

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mailroom_loan_deposit_shape": (
            "deposit_amount",
            _("Give a cash amount above zero, or the ID card's last four characters."),
        ),
        "mailroom_loan_due_after_lent": (
            "due_at",
            _("The due time must be after the time it is lent."),
        ),
        "mailroom_loan_return_checked": (
            "return_condition",
            _("Record the condition it came back in."),
        ),
    }

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_at"]
        indexes = [
            models.Index(
                fields=["mall", "due_at"], name="mailroom_loan_open", condition=Q(returned_at=None)
            )
        ]
        constraints = [
            # An item is out with one borrower at a time.
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(returned_at__isnull=True),
                name="mailroom_loan_one_open_per_asset",
            ),
            models.CheckConstraint(
                condition=(Q(deposit_kind="cash") & Q(deposit_amount__gt=0) & Q(id_last4=""))
                | (
                    Q(deposit_kind="id_card")
                    & Q(deposit_amount__isnull=True)
                    & Q(id_last4__regex=r"^\d{3}[0-9Xx]$")
                ),
                name="mailroom_loan_deposit_shape",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("lent_at")), name="mailroom_loan_due_after_lent"
            ),
            # The deposit is returned only when the item is back and checked.
            models.CheckConstraint(
                condition=Q(deposit_returned_at__isnull=True)
                | (Q(returned_at__isnull=False) & ~Q(return_condition="")),
                name="mailroom_loan_deposit_after_return",
            ),
            models.CheckConstraint(
                condition=(Q(returned_at__isnull=True) & Q(return_condition=""))
                | (Q(returned_at__isnull=False) & ~Q(return_condition="")),
                name="mailroom_loan_return_checked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} → {self.borrower_name}"

    def get_absolute_url(self) -> str:
        # A loan is shown on the lending page, among the items out.
        return reverse("mailroom:loan_list")

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.returned_at is None and self.due_at < now
