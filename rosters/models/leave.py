"""Leave requests (请假)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.uploads import RandomName
from mallservice.workflow import StateMachineMixin


@audited()
class LeaveRequest(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """请假单. The supervisor approves; longer leave also goes to a manager."""

    class Kind(models.TextChoices):
        SICK = "sick", _("sick leave")
        PERSONAL = "personal", _("personal leave")
        ANNUAL = "annual", _("annual leave")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        AWAITING_SUPERVISOR = "awaiting_supervisor", _("awaiting supervisor")
        AWAITING_MANAGER = "awaiting_manager", _("awaiting manager")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    OPEN_STATES = ("awaiting_supervisor", "awaiting_manager")
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.AWAITING_SUPERVISOR: "warning",
        State.AWAITING_MANAGER: "warning",
        State.APPROVED: "success",
        State.REJECTED: "danger",
        State.CANCELLED: "secondary",
    }
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "awaiting_supervisor": {"awaiting_manager", "approved", "rejected", "cancelled"},
        "awaiting_manager": {"approved", "rejected", "cancelled"},
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="leave_requests",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=300)
    sick_note = models.FileField(
        _("sick note"), upload_to=RandomName("rosters/sick-notes"), blank=True
    )
    needs_manager = models.BooleanField(_("needs a manager"), default=False)
    filed_late = models.BooleanField(_("filed after the fact"), default=False)
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.AWAITING_SUPERVISOR
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by supervisor"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by manager"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "leave_period_in_order": ("end_date", _("The end date must not be before the start date.")),
    }

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at"]
        permissions = [
            ("approve_leaverequest", "Can approve leave as supervisor"),
            ("approve_leaverequest_as_manager", "Can approve long leave as manager"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="leave_period_in_order",
            ),
            # Approved means every level required has signed.
            models.CheckConstraint(
                condition=~models.Q(state="approved")
                | (
                    models.Q(supervisor__isnull=False)
                    & (models.Q(needs_manager=False) | models.Q(manager__isnull=False))
                ),
                name="leave_approved_by_every_level",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "state"], name="leave_mall_state"),
            models.Index(fields=["staff", "start_date", "end_date"], name="leave_staff_period"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.kind} {self.start_date}–{self.end_date}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1
