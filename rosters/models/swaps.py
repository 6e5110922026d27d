"""Shift swaps (调班)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.workflow import StateMachineMixin
from rosters.models.roster import Assignment


@audited()
class SwapRequest(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """调班: requester's shift ⇄ a colleague's. The colleague accepts, then a
    supervisor approves; only then do the assignments change hands."""

    class State(models.TextChoices):
        AWAITING_COUNTERPART = "awaiting_counterpart", _("awaiting colleague")
        AWAITING_SUPERVISOR = "awaiting_supervisor", _("awaiting supervisor")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        DECLINED = "declined", _("declined by colleague")
        CANCELLED = "cancelled", _("cancelled")

    OPEN_STATES = ("awaiting_counterpart", "awaiting_supervisor")
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.AWAITING_COUNTERPART: "warning",
        State.AWAITING_SUPERVISOR: "warning",
        State.APPROVED: "success",
        State.REJECTED: "danger",
        State.DECLINED: "danger",
        State.CANCELLED: "secondary",
    }
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "awaiting_counterpart": {"awaiting_supervisor", "declined", "cancelled"},
        "awaiting_supervisor": {"approved", "rejected", "cancelled"},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requester")
    )
    requester_assignment = models.ForeignKey(
        Assignment, models.PROTECT, related_name="+", verbose_name=_("my shift")
    )
    counterpart = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("colleague")
    )
    counterpart_assignment = models.ForeignKey(
        Assignment, models.PROTECT, related_name="+", verbose_name=_("colleague's shift")
    )
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.AWAITING_COUNTERPART
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "swap_between_two_people": ("counterpart", _("Choose a colleague, not yourself.")),
    }

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at"]
        permissions = [("approve_swaprequest", "Can approve or reject shift swaps")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("counterpart")),
                name="swap_between_two_people",
            ),
            # An approved swap has passed both steps; the database refuses a
            # shortcut straight to "approved".
            models.CheckConstraint(
                condition=~models.Q(state="approved")
                | models.Q(accepted_at__isnull=False, decided_by__isnull=False),
                name="swap_approved_after_acceptance_and_decision",
            ),
            models.UniqueConstraint(
                fields=["requester_assignment"],
                condition=models.Q(state__in=["awaiting_counterpart", "awaiting_supervisor"]),
                name="swap_one_open_request_per_shift",
            ),
        ]
        indexes = [models.Index(fields=["mall", "state"], name="swap_mall_state")]

    def __str__(self) -> str:
        return f"{self.requester_assignment_id} ⇄ {self.counterpart_assignment_id}"
