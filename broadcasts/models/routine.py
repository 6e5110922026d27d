"""The routine daily schedule (日常播音) and its airings."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from broadcasts.models.scripts import ScriptTemplate
from mallservice import workflow
from mallservice.audit import audited


@audited()
class RoutineSlot(models.Model):
    """One line of a mall's daily schedule: a template aired at a time."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    template = models.ForeignKey(
        ScriptTemplate, models.PROTECT, related_name="+", verbose_name=_("script template")
    )
    at = models.TimeField(_("time"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routine broadcast")
        verbose_name_plural = _("routine schedule")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "at", "template"], name="routine_slot_unique_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.template_id}"


@audited()
class RoutineAiring(workflow.StateMachineMixin, models.Model):
    """A routine broadcast due on one day; created by the dispatcher (or
    when the queue is first opened that day)."""

    class State(models.TextChoices):
        DUE = "due", pgettext_lazy("airing", "due")
        AIRED = "aired", _("aired")
        MISSED = "missed", _("missed")

    # A missed one can still be aired late; the flag stays.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        State.DUE: {State.AIRED, State.MISSED},
        State.MISSED: {State.AIRED},
    }
    # The colour of its status badge (`{% status_badge obj field="state" %}`).
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.DUE: "info",
        State.MISSED: "warning",
        State.AIRED: "success",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    slot = models.ForeignKey(
        RoutineSlot, models.PROTECT, related_name="airings", verbose_name=_("routine broadcast")
    )
    day = models.DateField(_("day"))
    due_at = models.DateTimeField(pgettext_lazy("airing", "due at"))
    script = models.TextField(_("script"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DUE)
    aired_at = models.DateTimeField(_("aired at"), null=True, blank=True)
    aired_by = models.ForeignKey(
        "mallservice.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aired by"),
    )
    missed_flagged_at = models.DateTimeField(_("flagged missed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("routine airing")
        verbose_name_plural = _("routine airings")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "day"], name="routine_airing_once_a_day"),
            models.CheckConstraint(
                condition=Q(state="aired", aired_at__isnull=False, aired_by__isnull=False)
                | (~Q(state="aired") & Q(aired_at__isnull=True)),
                name="routine_airing_aired_has_time_and_actor",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="routine_airing_due_idx")]

    def __str__(self) -> str:
        return f"{self.day} {timezone.localtime(self.due_at):%H:%M}"
