"""Lost and found (失物招领): found items, lost-item reports and claims."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mailroom.models.common import ID_LAST4_HELP, StateMachineMixin, id_last4_validator
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.uploads import RandomName


class ItemCategory(models.TextChoices):
    WALLET = "wallet", _("wallet / purse")
    PHONE = "phone", _("mobile phone")
    ELECTRONICS = "electronics", _("other electronics")
    BAG = "bag", _("bag")
    KEYS = "keys", _("keys")
    DOCUMENTS = "documents", _("ID / cards / documents")
    JEWELLERY = "jewellery", _("jewellery / watch")
    CLOTHING = "clothing", _("clothing")
    UMBRELLA = "umbrella", _("umbrella")
    CHILD = "child", _("children's item / toy")
    GLASSES = "glasses", _("glasses")
    OTHER = "other", _("other")


@audited()
class FoundItem(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """A found item (失物) held by the desk. Civil Code Arts. 314-318: post a
    notice; unclaimed one year after the notice it goes to the police (or,
    for items of no value, is disposed of) — recorded here."""

    class Status(models.TextChoices):
        HELD = "held", _("held")
        EXPIRED = "expired", _("retention period over")
        RELEASED = "released", _("released to owner")
        TO_POLICE = "to_police", _("handed to police")
        DISPOSED = "disposed", _("disposed of")

    TRANSITIONS = {
        Status.HELD: {Status.RELEASED, Status.EXPIRED, Status.TO_POLICE},
        Status.EXPIRED: {Status.RELEASED, Status.TO_POLICE, Status.DISPOSED},
        Status.RELEASED: set(),
        Status.TO_POLICE: set(),
        Status.DISPOSED: set(),
    }

    class ValueBand(models.TextChoices):
        LOW = "low", _("low (under 100 yuan)")
        MEDIUM = "medium", _("medium (100-1,000 yuan)")
        HIGH = "high", _("valuable (over 1,000 yuan, cash, ID, phone)")

    class Storage(models.TextChoices):
        SHELF = "shelf", _("lost-property shelf")
        CABINET = "cabinet", _("locked cabinet")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    number = models.CharField(_("item number"), max_length=20)
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    photo = models.FileField(
        _("photo"), upload_to=RandomName("mailroom/found"), blank=True, max_length=200
    )
    found_at = models.DateTimeField(_("found at"))
    found_unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("found in"),
    )
    found_place = models.CharField(_("where found"), max_length=100, blank=True)
    finder_name = models.CharField(_("finder"), max_length=50)
    finder_phone = models.CharField(_("finder's phone"), max_length=20, blank=True)
    value_band = models.CharField(_("value"), max_length=8, choices=ValueBand.choices)
    storage = models.CharField(_("storage"), max_length=8, choices=Storage.choices)
    storage_place = models.CharField(_("storage place"), max_length=30, blank=True)
    broadcast_requested = models.BooleanField(
        _("request a lost-item broadcast"),
        default=False,
        help_text=_("The broadcast room announces that the item was found."),
    )
    # The "lost item found" announcement requested for this item (broadcasts
    # app); the latest one when the desk asked again after it ended.
    announcement = models.ForeignKey(
        "broadcasts.Announcement",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("announcement"),
    )
    notice_published_at = models.DateTimeField(_("notice published"))
    retention_until = models.DateField(_("keep until"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="held")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged at"))
    expired_at = models.DateTimeField(_("retention over at"), null=True, blank=True)
    disposal_at = models.DateTimeField(_("handed over / disposed at"), null=True, blank=True)
    disposal_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    disposal_reference = models.CharField(
        _("receipt / reference"),
        max_length=60,
        blank=True,
        help_text=_("Police receipt number or disposal witness."),
    )
    disposal_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mailroom_found_valuables_locked": (
            "storage",
            _("Valuable items must be kept in the locked cabinet."),
        ),
    }

    class Meta:
        verbose_name = _("found item")
        verbose_name_plural = _("found items")
        ordering = ["-found_at"]
        permissions = [
            ("dispose_founditem", _("Can hand found items to police or dispose of them"))
        ]
        indexes = [
            models.Index(fields=["mall", "status", "category", "found_at"]),
            # The lists (held, retention over, closed …) page newest first:
            # at 100,000 items an index in that order spares sorting a
            # status's tens of thousands of rows for every page.
            models.Index(fields=["mall", "status", "-found_at"], name="mailroom_found_list"),
            models.Index(
                fields=["retention_until"],
                name="mailroom_found_retention",
                condition=Q(status="held"),
            ),
            # The dashboard's items nearing the limit, one mall's.
            models.Index(
                fields=["mall", "retention_until"],
                name="mailroom_found_nearing",
                condition=Q(status="held"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["mall", "number"], name="mailroom_found_number_unique"),
            # Valuables go to the locked cabinet.
            models.CheckConstraint(
                condition=~Q(value_band="high") | Q(storage="cabinet"),
                name="mailroom_found_valuables_locked",
            ),
            # An announcement is linked only when the desk asked for one.
            models.CheckConstraint(
                condition=Q(announcement__isnull=True) | Q(broadcast_requested=True),
                name="mailroom_found_announcement_requested",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["held", "expired", "released"])
                | (Q(disposal_at__isnull=False) & Q(disposal_by__isnull=False)),
                name="mailroom_found_disposal_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("mailroom:found_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.HELD, self.Status.EXPIRED)


@audited()
class LostReport(models.Model):
    """A customer's report of something lost, matched against found items."""

    class Source(models.TextChoices):
        DESK = "desk", pgettext_lazy("lost report", "at the desk")
        PHONE = "phone", pgettext_lazy("lost report", "by phone")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("lost report", "open")
        RESOLVED = "resolved", pgettext_lazy("lost report", "resolved")
        CLOSED = "closed", _("closed, not found")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    source = models.CharField(_("reported"), max_length=8, choices=Source.choices, default="desk")
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    lost_on = models.DateField(_("lost on"))
    lost_unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lost in"),
    )
    lost_place = models.CharField(_("where lost"), max_length=100, blank=True)
    reporter_name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    reporter_phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="open")
    found_item = models.ForeignKey(
        FoundItem,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("found item"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged at"))

    class Meta:
        verbose_name = _("lost-item report")
        verbose_name_plural = _("lost-item reports")
        ordering = ["-logged_at"]
        indexes = [models.Index(fields=["mall", "status", "category", "lost_on"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.lost_on}"

    def get_absolute_url(self) -> str:
        return reverse("mailroom:lost_detail", args=[self.pk])


@audited()
class ItemClaim(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """Someone claims a found item: proof checked by staff, then signed and
    released."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for verification")
        VERIFIED = "verified", pgettext_lazy("identity check", "verified")
        REJECTED = "rejected", _("rejected")
        RELEASED = "released", _("released")

    TRANSITIONS = {
        Status.PENDING: {Status.VERIFIED, Status.REJECTED},
        Status.VERIFIED: {Status.RELEASED, Status.REJECTED},
        Status.REJECTED: set(),
        Status.RELEASED: set(),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    item = models.ForeignKey(
        FoundItem, models.PROTECT, related_name="claims", verbose_name=_("item")
    )
    claimant_name = models.CharField(_("claimant's name"), max_length=50)
    claimant_phone = models.CharField(_("claimant's phone"), max_length=20)
    id_last4 = models.CharField(
        _("ID last four digits"),
        max_length=4,
        validators=[id_last4_validator],
        help_text=ID_LAST4_HELP,
    )
    proof_description = models.TextField(_("description given as proof"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(
        pgettext_lazy("identity check", "verified at"), null=True, blank=True
    )
    verification_note = models.CharField(_("verification note"), max_length=200, blank=True)
    signature = models.FileField(
        _("signature"), upload_to=RandomName("mailroom/signatures"), blank=True
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mailroom_claim_id_last4": (
            "id_last4",
            _("Enter the last four characters of the ID card (digits, the last may be X)."),
        ),
        "mailroom_claim_release_signed": ("signature", _("The claimant must sign.")),
    }

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-logged_at"]
        constraints = [
            # An item goes to one owner.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status="released"),
                name="mailroom_claim_one_release_per_item",
            ),
            models.CheckConstraint(
                condition=Q(id_last4__regex=r"^\d{3}[0-9Xx]$"), name="mailroom_claim_id_last4"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["verified", "released"])
                | (Q(verified_by__isnull=False) & Q(verified_at__isnull=False)),
                name="mailroom_claim_verified_by_staff",
            ),
            models.CheckConstraint(
                condition=~Q(status="released")
                | (~Q(signature="") & Q(released_at__isnull=False) & Q(released_by__isnull=False)),
                name="mailroom_claim_release_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant_name} → {self.item_id}"
