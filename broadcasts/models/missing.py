"""Missing-person cases (寻人) and the exits watched for them."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice import workflow
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin


@audited(exclude=["reporter_phone"])
class MissingPersonCase(ConstraintMessagesMixin, workflow.StateMachineMixin, models.Model):
    """A missing-person case (寻人), following Code Adam practice."""

    class PersonKind(models.TextChoices):
        CHILD = "child", _("child")
        ELDERLY = "elderly", _("elderly person")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        OPEN = "open", _("searching")
        FOUND = "found", _("found")
        CLOSED = "closed", _("closed without finding")

    class Outcome(models.TextChoices):
        REUNITED = "reunited", _("reunited with the family")
        HANDED_TO_POLICE = "police", _("handed to the police")
        LEFT_ON_OWN = "left", _("found to have left the mall")
        OTHER = "other", _("other")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        State.OPEN: {State.FOUND, State.CLOSED},
    }
    # The colour of its status badge (`{% status_badge obj field="state" %}`).
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.OPEN: "danger",
        State.FOUND: "success",
    }

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    person_kind = models.CharField(_("who is missing"), max_length=10, choices=PersonKind.choices)
    # Kept for the file and the police; never put in a child's script.
    person_name = models.CharField(_("full name"), max_length=50, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    gender = models.CharField(
        _("gender"),
        max_length=1,
        blank=True,
        choices=[("m", _("male")), ("f", _("female"))],
    )
    description = models.CharField(pgettext_lazy("missing person", "description"), max_length=200)
    clothing = models.CharField(_("clothing and shoes"), max_length=200)
    last_seen_place = models.CharField(_("last seen where"), max_length=100)
    last_seen_at = models.DateTimeField(_("last seen at"))
    reporter_name = models.CharField(_("reporter"), max_length=50)
    reporter_phone = models.CharField(_("reporter phone"), max_length=20)
    meeting_point = models.CharField(_("meeting point"), max_length=100)
    handled_by = models.ForeignKey(
        "mallservice.User", models.PROTECT, related_name="+", verbose_name=_("handled by")
    )
    reported_at = models.DateTimeField(_("reported at"))
    police_due_at = models.DateTimeField(_("call the police at"))
    police_prompted_at = models.DateTimeField(_("desk prompted at"), null=True, blank=True)
    police_called_at = models.DateTimeField(_("police called at"), null=True, blank=True)
    police_called_by = models.ForeignKey(
        "mallservice.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("police called by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    found_at = models.DateTimeField(
        pgettext_lazy("missing person", "found at"), null=True, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("note"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "missing_case_closed_has_outcome": ("outcome", _("Choose the outcome.")),
    }

    class Meta:
        verbose_name = _("missing-person case")
        verbose_name_plural = _("missing-person cases")
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", found_at__isnull=True, outcome="")
                | (~Q(state="open") & ~Q(outcome="")),
                name="missing_case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(state="found") | Q(found_at__isnull=False),
                name="missing_case_found_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["police_due_at"],
                name="missing_case_police_due_idx",
                condition=Q(state="open", police_called_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_person_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("broadcasts:case_detail", args=[self.pk])

    def police_overdue(self, now: datetime.datetime) -> bool:
        return (
            self.state == self.State.OPEN
            and not self.police_called_at
            and now >= self.police_due_at
        )


@audited()
class ExitWatch(models.Model):
    """An exit staff are watching for a missing person."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    case = models.ForeignKey(
        MissingPersonCase, models.PROTECT, related_name="exits", verbose_name=_("case")
    )
    exit = models.ForeignKey(
        "mallservice.Unit", models.PROTECT, related_name="+", verbose_name=_("exit")
    )
    watched_by = models.ForeignKey(
        "mallservice.User", models.PROTECT, related_name="+", verbose_name=_("marked by")
    )
    watched_at = models.DateTimeField(_("watched since"))

    class Meta:
        verbose_name = _("watched exit")
        verbose_name_plural = _("watched exits")
        ordering = ["watched_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "exit"], name="exit_watch_once_per_case")
        ]

    def __str__(self) -> str:
        return str(self.exit_id)
