"""Flagged clock-ins: a PIN punch on the shared screen from a device or an
address not seen at that mall lately may be a colleague clocking in for
someone from elsewhere (issue 21, "clock-in that proves who"); supervisors
review the flags weekly."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.workflow import StateMachineMixin
from rosters.models.attendance import ClockEvent


@audited()
class ClockFlag(StateMachineMixin, models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("to review")
        CLEARED = "cleared", _("looks right")
        CONCERN = "concern", _("to follow up")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "open": {"cleared", "concern"},
        "concern": {"cleared"},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.OPEN: "warning",
        State.CLEARED: "success",
        State.CONCERN: "danger",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    clock_event = models.OneToOneField(
        ClockEvent, models.PROTECT, related_name="flag", verbose_name=_("clock event")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    new_device = models.BooleanField(_("unknown device"))
    new_address = models.BooleanField(_("unknown address"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("flagged clock-in")
        verbose_name_plural = _("flagged clock-ins")
        ordering = ["-clock_event__at"]
        permissions = [("review_clockflag", "Can review flagged clock-ins")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_device=True) | models.Q(new_address=True),
                name="clockflag_has_a_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(state="open")
                | models.Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="clockflag_reviewed_has_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["mall", "state"], name="clockflag_mall_state")]

    def __str__(self) -> str:
        return f"{self.clock_event_id} {self.state}"
