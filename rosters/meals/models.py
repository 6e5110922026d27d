"""Staff meal orders (员工订餐): orders, the lists sent, late changes."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.workflow import StateMachineMixin


class Meal(models.TextChoices):
    LUNCH = "lunch", pgettext_lazy("staff meal", "lunch")
    DINNER = "dinner", pgettext_lazy("staff meal", "dinner")


@audited()
class MealOrder(models.Model):
    """员工订餐: one staff member's lunch and dinner of one day. A row is
    kept when both are unticked again, so its history shows every change;
    monthly counts for the payroll deduction count the ticks."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="meal_orders",
        verbose_name=_("staff member"),
    )
    date = models.DateField(_("date"))
    lunch = models.BooleanField(pgettext_lazy("staff meal", "lunch"), default=False)
    dinner = models.BooleanField(pgettext_lazy("staff meal", "dinner"), default=False)
    note = models.CharField(pgettext_lazy("staff meal", "note"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("changed at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("staff meal order")
        verbose_name_plural = _("staff meal orders")
        ordering = ["-date", "staff"]
        permissions = [("count_mealorder", "Can see and export monthly meal counts")]
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="mealorder_one_a_day"),
        ]
        indexes = [models.Index(fields=["mall", "date"], name="mealorder_mall_date")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date}"

    def has(self, meal: str) -> bool:
        return bool(getattr(self, meal))


@audited()
class MealSheet(models.Model):
    """The day's list of one meal as sent to the canteen or supplier. Once
    it is sent, a change to that meal is a late change for the supervisor
    ("late changes after the cut-off need the supervisor")."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    date = models.DateField(_("date"))
    meal = models.CharField(pgettext_lazy("staff meal", "meal"), max_length=8, choices=Meal.choices)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    meals_sent = models.PositiveIntegerField(_("meals on the list when sent"))

    class Meta:
        verbose_name = _("meal list sent")
        verbose_name_plural = _("meal lists sent")
        ordering = ["-date", "meal"]
        permissions = [("send_mealsheet", "Can mark the day's meal list sent")]
        constraints = [
            models.UniqueConstraint(fields=["mall", "date", "meal"], name="mealsheet_once_a_meal"),
        ]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.date} {self.meal}"


@audited()
class MealChangeRequest(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """A late change of a meal order (after the meal's cut-off or after its
    list was sent); a supervisor approves it and only then does the order
    change. `lunch`/`dinner` are the wanted values, empty when unchanged."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting supervisor")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "pending": {"approved", "rejected", "cancelled"},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.PENDING: "warning",
        State.APPROVED: "success",
        State.REJECTED: "danger",
        State.CANCELLED: "secondary",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="meal_change_requests",
        verbose_name=_("staff member"),
    )
    date = models.DateField(_("date"))
    lunch = models.BooleanField(pgettext_lazy("staff meal", "lunch"), null=True, blank=True)
    dinner = models.BooleanField(pgettext_lazy("staff meal", "dinner"), null=True, blank=True)
    note = models.CharField(pgettext_lazy("staff meal", "note"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mealchange_changes_a_meal": ("lunch", _("Change lunch, dinner or both.")),
        "mealchange_not_decided_by_requester": (None, _("You cannot approve your own request.")),
    }

    class Meta:
        verbose_name = _("late meal change")
        verbose_name_plural = _("late meal changes")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_mealchangerequest", "Can approve or reject late meal changes")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lunch__isnull=False) | models.Q(dinner__isnull=False),
                name="mealchange_changes_a_meal",
            ),
            models.UniqueConstraint(
                fields=["staff", "date"],
                condition=models.Q(state="pending"),
                name="mealchange_one_pending_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "cancelled"])
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="mealchange_decided_has_who_and_when",
            ),
            # Nobody approves their own late change.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("staff")),
                name="mealchange_not_decided_by_requester",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "state"], name="mealchange_mall_state"),
            models.Index(fields=["mall", "date"], name="mealchange_mall_date"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date} {self.state}"

    def changes(self) -> list[tuple[str, str, bool]]:
        """(meal, its label, wanted) for each meal this request changes."""
        return [
            (meal, label, getattr(self, meal))
            for meal, label in Meal.choices
            if getattr(self, meal) is not None
        ]
