"""One row per message to send (`mallservice.notifications`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import audited


@audited()
class Message(models.Model):
    """A message to send, written with the change that caused it and sent
    later by the dispatcher through its channel's provider.

    `status` goes pending → sending (claimed, committed before the provider
    is called) → sent / recorded / failed, and from "sent" to delivered or
    undelivered when the provider's receipt arrives. A "sending" row older
    than the claim window is looked up at the provider first (if the
    provider can tell) and only sent again when it never arrived there."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        WECOM = "wecom", _("WeCom")
        EMAIL = "email", _("e-mail")

    class Category(models.TextChoices):
        # Quiet hours hold reminders and marketing to customers, never an
        # update about their own case (`rules.quiet_until`).
        CASE_UPDATE = "case", _("case update")
        ALERT = "alert", _("staff alert")
        NOTICE = "notice", pgettext_lazy("message category", "notice")
        REMINDER = "reminder", pgettext_lazy("message category", "reminder")
        MARKETING = "marketing", pgettext_lazy("message category", "marketing")
        REPORT = "report", _("report")

    class Audience(models.TextChoices):
        CUSTOMER = "customer", _("customer")
        STAFF = "staff", _("staff or tenant")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        UNDELIVERED = "undelivered", _("not delivered")
        # The console channel (no provider configured): written down and
        # shown to supervisors, nobody was reached.
        RECORDED = "recorded", _("recorded, not sent")
        FAILED = "failed", _("failed")

    BADGE_LEVELS = {
        "pending": "secondary",
        "sending": "info",
        "sent": "primary",
        "delivered": "success",
        "undelivered": "danger",
        "recorded": "warning",
        "failed": "danger",
    }
    # What a supervisor may send again.
    RESENDABLE = (Status.FAILED, Status.UNDELIVERED)
    # An SMS recipient is a phone number: masked in the history panel too.
    PHONE_FIELDS = ("recipient",)

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    kind = models.CharField(_("kind"), max_length=64)
    # The record it is about, as "<model>:<pk>" ("complaint:12", "parcel:7"):
    # the kernel knows no app's models.
    source = models.CharField(_("related record"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    recipient = models.CharField(pgettext_lazy("recipient", "to"), max_length=200)
    recipient_name = models.CharField(_("recipient name"), max_length=100, blank=True)
    template = models.CharField(_("template"), max_length=64, blank=True)
    # Codes and values, not rendered text; `body` is the rendered text the
    # console, e-mail and WeCom show (and SMS length is counted on).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"))
    due_at = models.DateTimeField(_("send at"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivery reported at"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=32, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="message_due",
            ),
            models.Index(fields=["source"], name="message_source"),
            models.Index(fields=["recipient", "sent_at"], name="message_recipient_day"),
            models.Index(
                fields=["provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="message_provider_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"

    @property
    def message_id(self) -> str:
        """The e-mail's Message-ID, the same on a retry (a receiver drops a copy)."""
        return f"<message-{self.pk}@mallservice>"
