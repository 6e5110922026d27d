"""Everything that passes across the desk: incoming parcels and their
pick-ups, the notification outbox, outgoing mail, lost and found, and the
lending desk. Each thing is logged when it arrives, kept in a known place and
handed over only against a signature.

Personal data minimisation (PIPL Art. 6, GB/T 35273): of an identity card we
store ONLY its last four digits (`id_last4`), never the full number.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice import workflow
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.uploads import RandomName

id_last4_validator = RegexValidator(
    r"^\d{3}[\dXx]$", _("Enter the last four characters of the ID number."), "invalid_id_last4"
)
ID_LAST4_HELP = _("Only the last four characters are stored (data minimisation).")


class StateMachineMixin(workflow.StateMachineMixin):
    """The project's state machine over this app's `status` fields."""

    STATE_FIELD = "status"


class Carrier(models.TextChoices):
    SF = "sf", _("SF Express")
    EMS = "ems", _("EMS / China Post")
    JD = "jd", _("JD Logistics")
    ZTO = "zto", _("ZTO Express")
    YTO = "yto", _("YTO Express")
    STO = "sto", _("STO Express")
    YUNDA = "yunda", _("Yunda Express")
    JT = "jt", _("J&T Express")
    OTHER = "other", _("other carrier")


class Department(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("customer-service department")
    PROPERTY = "property", _("property management")
    MARKETING = "marketing", _("marketing")
    LEASING = "leasing", _("leasing")
    FINANCE = "finance", _("finance")
    SECURITY = "security", _("security")
    ENGINEERING = "engineering", _("engineering")
    ADMIN = "admin", _("administration and HR")


# ---------------------------------------------------------------- parcels in


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


@audited()
class Notification(models.Model):
    """The outbox: a message to send, written in the same transaction as the
    change that caused it, delivered later by the outbox dispatcher through
    the configured backend. One row per (parcel, kind): a reminder or an
    escalation can exist only once."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("arrival notice")
        REMINDER = "reminder", _("reminder")
        ESCALATION = "escalation", pgettext_lazy("notification", "escalation")
        RETURNED = "returned", _("returned to sender")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        # Claimed and handed to the backend; a "sending" row older than the
        # claim window is sent again with the same message_id.
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    parcel = models.ForeignKey(
        Parcel, models.PROTECT, related_name="notifications", verbose_name=_("parcel")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    to_name = models.CharField(pgettext_lazy("recipient", "to"), max_length=100, blank=True)
    to_phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Codes and parameters, not rendered text: the backend renders them.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    backend = models.CharField(_("backend"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="mailroom_notif_pending",
                condition=Q(status="pending"),
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["parcel", "kind"], name="mailroom_notif_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.parcel_id}"

    @property
    def message_id(self) -> str:
        """The idempotency key a backend sends along (an e-mail's Message-ID,
        a gateway's request id): the same on every retry of this notice."""
        return f"<mailroom-notice-{self.pk}@mallservice>"


# --------------------------------------------------------------- mail out


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


# ----------------------------------------------------------- lost and found


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


# ------------------------------------------------------------ lending desk


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

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.returned_at is None and self.due_at < now
