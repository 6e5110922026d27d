"""The notification outbox: notices about parcels, written with the change
that caused them and delivered later (`mailroom.services.notices`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mailroom.models.parcels import Parcel
from mallservice.audit import audited

# `mailroom.notify.RecordOnlyBackend.name`: the default backend writes the
# notice down and sends nothing.
RECORD_ONLY_BACKEND = "record_only"


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
    def status_label(self) -> str:
        """What happened to the notice, in the desk's words: a notice the
        record-only backend took was written down, not sent to anybody."""
        if self.status == self.Status.SENT and self.backend == RECORD_ONLY_BACKEND:
            return str(_("recorded only (no SMS gateway: tell the recipient yourself)"))
        return self.get_status_display()

    @property
    def message_id(self) -> str:
        """The idempotency key a backend sends along (an e-mail's Message-ID,
        a gateway's request id): the same on every retry of this notice."""
        return f"<mailroom-notice-{self.pk}@mallservice>"
