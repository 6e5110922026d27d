"""The incident log (值班事件): injuries, medical calls, fights, power or lift
failures, fire alarms — what happened, where, who was involved, what the
desk did, follow-up and closing; an urgent one is reported to the duty
manager at once (an SMS in the shared outbox, `mallservice.notifications`)."""

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


class IncidentQuerySet(models.QuerySet):
    def for_list(self) -> IncidentQuerySet:
        return self.select_related("mall", "floor", "unit", "reported_by")

    def live(self) -> IncidentQuerySet:
        return self.exclude(status=Incident.Status.CLOSED)


@audited()
class Incident(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class Kind(models.TextChoices):
        INJURY = "injury", _("injury")
        MEDICAL = "medical", _("medical call")
        FIGHT = "fight", _("fight or disturbance")
        POWER = "power", _("power failure")
        LIFT = "lift", _("lift or escalator failure")
        FIRE_ALARM = "fire_alarm", _("fire alarm")
        OTHER = "other", pgettext_lazy("incident kind", "other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("incident status", "open")
        FOLLOW_UP = "follow_up", _("following up")
        CLOSED = "closed", pgettext_lazy("incident status", "closed")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.OPEN: {Status.FOLLOW_UP, Status.CLOSED},
        Status.FOLLOW_UP: {Status.CLOSED},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        Status.OPEN: "danger",
        Status.FOLLOW_UP: "warning",
        Status.CLOSED: "success",
    }
    CONSTRAINT_MESSAGES: ClassVar[dict] = {
        "incident_closed_has_outcome": (
            "closing_note",
            _("Say how the incident ended before closing it."),
        ),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(pgettext_lazy("incident", "reference number"), max_length=20)
    kind = models.CharField(_("kind of incident"), max_length=16, choices=Kind.choices)
    urgent = models.BooleanField(
        _("urgent"),
        default=False,
        help_text=_("Reported to the duty manager at once."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    floor = models.ForeignKey(
        "mallservice.Floor", models.PROTECT, null=True, blank=True, verbose_name=_("floor")
    )
    unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("shop / counter / area"),
    )
    place = models.CharField(
        _("exact place"), max_length=100, blank=True, help_text=_("e.g. east entrance escalator")
    )
    people_involved = models.TextField(
        _("people involved"), help_text=_("Names, description, contact if given.")
    )
    description = models.TextField(pgettext_lazy("incident", "what happened"))
    actions_taken = models.TextField(_("actions taken"))
    police_called = models.BooleanField(_("police called (110)"), default=False)
    ambulance_called = models.BooleanField(_("ambulance called (120)"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"))
    closing_note = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-pk"]
        permissions = [("close_incident", "Can close an incident")]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "reference"], name="incident_reference_unique_in_mall"
            ),
            # 结案 needs its outcome and its time.
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(closing_note=""),
                name="incident_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_at__isnull=False)
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True)),
                name="incident_closed_at_matches_status",
            ),
        ]
        indexes = [
            # The list: a mall's incidents, newest first (the bench's 200,000).
            models.Index(fields=["mall", "-occurred_at", "-id"], name="incident_mall_recent"),
            # Still open, for the handover and the dashboard.
            models.Index(
                fields=["mall", "status"],
                condition=~models.Q(status="closed"),
                name="incident_live",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("desk:incident_detail", args=[self.pk])

    @property
    def outbox_source(self) -> str:
        """How the shared outbox names the incident a message is about."""
        return f"incident:{self.pk}"


@audited()
class IncidentFollowUp(models.Model):
    """One step of the follow-up (跟进): what was done later and by whom —
    the incident's readable timeline."""

    incident = models.ForeignKey(
        Incident, models.PROTECT, related_name="follow_ups", verbose_name=_("incident")
    )
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("follow-up"))

    class Meta:
        verbose_name = _("incident follow-up")
        verbose_name_plural = _("incident follow-ups")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident_id} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
