"""Spot checks (查岗) and the undeclared absences (离岗未报) they find.

The source document: staff left their post for over half an hour and "would
not report it truthfully unless the supervisor checked" (如不被主管查岗则不会
如实上报). A spot check records who was found at the posts; it is reconciled
at once against the roster, the punch log and the off-post log."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import audited
from mallservice.workflow import StateMachineMixin
from rosters.models.roster import Assignment, Post


@audited()
class SpotCheck(models.Model):
    """查岗: one walk of the posts by a supervisor or duty manager at `at`."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("spot check", "checked by"),
    )
    at = models.DateTimeField(pgettext_lazy("spot check", "checked at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-at"]
        indexes = [models.Index(fields=["mall", "at"], name="spotcheck_mall_at")]

    def __str__(self) -> str:
        return f"{self.mall_id} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


@audited()
class SpotCheckEntry(models.Model):
    """What the check found for one person, as the records stood at the
    moment of the check (a later punch or off-post entry changes nothing)."""

    class Result(models.TextChoices):
        PRESENT = "present", _("found at post")
        MISSING = "missing", _("missing (undeclared absence)")
        OFF_POST = "off_post", _("off post, recorded")
        NOT_CLOCKED_IN = "not_clocked_in", _("not clocked in")
        NOT_ROSTERED = "not_rostered", _("found, not rostered")

    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        Result.PRESENT: "success",
        Result.MISSING: "danger",
        Result.OFF_POST: "info",
        Result.NOT_CLOCKED_IN: "warning",
        Result.NOT_ROSTERED: "primary",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    spot_check = models.ForeignKey(
        SpotCheck, models.PROTECT, related_name="entries", verbose_name=_("spot check")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    # The rostered shift; none for someone found who was not rostered.
    assignment = models.ForeignKey(
        Assignment,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shift"),
    )
    post = models.ForeignKey(
        Post, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("post")
    )
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)

    class Meta:
        verbose_name = _("spot check entry")
        verbose_name_plural = _("spot check entries")
        ordering = ["spot_check", "post", "staff"]
        constraints = [
            models.UniqueConstraint(
                fields=["spot_check", "staff"], name="spotcheckentry_one_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(result="not_rostered") | models.Q(assignment__isnull=False),
                name="spotcheckentry_rostered_has_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spot_check_id} {self.staff_id} {self.result}"


@audited()
class UndeclaredAbsence(StateMachineMixin, models.Model):
    """离岗未报: rostered, clocked in, not on the off-post log, and not found
    by a spot check. The person explains; a supervisor accepts the reason
    (not counted) or confirms the absence (counted on the monthly report)."""

    class State(models.TextChoices):
        AWAITING_EXPLANATION = "awaiting_explanation", _("awaiting explanation")
        EXPLAINED = "explained", _("explained")
        EXCUSED = "excused", _("accepted (not counted)")
        CONFIRMED = "confirmed", _("confirmed (counted)")

    OPEN_STATES = ("awaiting_explanation", "explained")
    # A supervisor may decide without an explanation when none comes.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        "awaiting_explanation": {"explained", "excused", "confirmed"},
        "explained": {"excused", "confirmed"},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.AWAITING_EXPLANATION: "warning",
        State.EXPLAINED: "info",
        State.EXCUSED: "success",
        State.CONFIRMED: "danger",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    spot_check = models.ForeignKey(
        SpotCheck, models.PROTECT, related_name="absences", verbose_name=_("spot check")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="undeclared_absences",
        verbose_name=_("staff member"),
    )
    assignment = models.ForeignKey(
        Assignment, models.PROTECT, related_name="+", verbose_name=_("shift")
    )
    post = models.ForeignKey(Post, models.PROTECT, related_name="+", verbose_name=_("post"))
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.AWAITING_EXPLANATION
    )
    explanation = models.CharField(_("explanation"), max_length=500, blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
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
        verbose_name = _("undeclared absence")
        verbose_name_plural = _("undeclared absences")
        ordering = ["-spot_check__at", "staff"]
        permissions = [
            ("explain_undeclaredabsence", "Can explain their own undeclared absences"),
            ("review_undeclaredabsence", "Can accept or confirm undeclared absences"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["spot_check", "staff"], name="undeclaredabsence_one_per_check"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="explained")
                | models.Q(explained_at__isnull=False) & ~models.Q(explanation=""),
                name="undeclaredabsence_explained_has_text",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=["excused", "confirmed"])
                | models.Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="undeclaredabsence_decided_has_who_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "state"], name="undeclaredabsence_mall_state"),
            models.Index(fields=["staff", "state"], name="undeclaredabsence_staff_state"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.spot_check_id}"
