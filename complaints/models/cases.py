"""What a complaint and a fault report share as cases: the timeline, the
and the escalation ladder. Each row belongs to exactly one case; their
messages are in the shared outbox (`mallservice.notifications`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models.complaints import Complaint
from mallservice.audit import append_only_triggers, audited


class Activity(models.Model):
    """The timeline: one append-only row per thing that happened, stored as a
    code plus parameters and rendered in the reader's language."""

    class Code(models.TextChoices):
        RECEIVED = "received", _("received")
        ASSIGNED = "assigned", _("assigned")
        RESPONDED = "responded", _("handler responded")
        VERIFIED = "verified", _("verified")
        CALLED_BACK = "called_back", _("customer called back")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        MERGED = "merged", _("merged")
        STATUS = "status", _("status changed")
        NOTE = "note", _("internal note")
        CUSTOMER_TOLD = "customer_told", _("told the customer")
        COMPENSATION_REQUESTED = "compensation_requested", _("compensation requested")
        COMPENSATION_APPROVED = "compensation_approved", _("compensation approved")
        COMPENSATION_REJECTED = "compensation_rejected", _("compensation rejected")
        ATTACHMENT = "attachment", _("attachment added")
        # Written when the acknowledgement is put in the outbox; whether it
        # went out is the message's state (no SMS channel yet: recorded only).
        SMS = "sms", _("SMS acknowledgement recorded")
        SLA_WARNING = "sla_warning", _("SLA warning")
        ESCALATED = "escalated", _("escalated")
        FIXED = "fixed", _("fix recorded")
        SENT_BACK = "sent_back", _("sent back: not fixed")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    # A timeline belongs to one case: a complaint or a fault report.
    complaint = models.ForeignKey(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("complaint"),
    )
    fault = models.ForeignKey(
        "FaultReport",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("fault report"),
    )
    at = models.DateTimeField(_("at"))
    code = models.CharField(_("event"), max_length=32, choices=Code.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "pk"]
        triggers = append_only_triggers()
        indexes = [
            models.Index(fields=["complaint", "at"], name="complaint_event_timeline"),
            models.Index(fields=["fault", "at"], name="fault_event_timeline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint__isnull=False, fault__isnull=True)
                | Q(complaint__isnull=True, fault__isnull=False),
                name="activity_one_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id or self.fault_id} {self.code}"


@audited()
class Escalation(models.Model):
    """One rung of the escalation ladder of one case (a complaint or a fault
    report), due at a time and claimed once by the beat dispatcher
    (`fired_at` set, never again). A reopened complaint gets a new ladder
    for its new resolution period."""

    class Level(models.TextChoices):
        WARNING = "warning", _("warning to the handler")
        SUPERVISOR = "supervisor", _("escalated to the supervisor")
        MANAGER = "manager", _("escalated to the manager")
        # Before a public channel's legal deadline (12315, 12345...).
        LEGAL = "legal", _("legal deadline near: escalated to the supervisor")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    complaint = models.ForeignKey(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("complaint"),
    )
    fault = models.ForeignKey(
        "FaultReport",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("fault report"),
    )
    level = models.CharField(
        pgettext_lazy("escalation", "level"), max_length=16, choices=Level.choices
    )
    # The resolution period the rung belongs to: 0 from intake, n after the
    # n-th reopen. A reopen starts a new ladder; the rungs fired before stay.
    period = models.PositiveSmallIntegerField(_("resolution period"), default=0)
    due_at = models.DateTimeField(_("due at"))
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    recipients = models.JSONField(_("notified"), default=list, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "period", "level"], name="escalation_once_per_period_level"
            ),
            models.UniqueConstraint(fields=["fault", "level"], name="fault_escalation_once"),
            models.CheckConstraint(
                condition=Q(complaint__isnull=False, fault__isnull=True)
                | Q(complaint__isnull=True, fault__isnull=False),
                name="escalation_one_case",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(fired_at__isnull=True), name="escalation_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id or self.fault_id} {self.level}"
