"""Training sessions (培训) and their attendees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import audited


@audited()
class TrainingSession(models.Model):
    """培训: a session with its attendees; the target is two a month."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    topic = models.CharField(pgettext_lazy("training", "topic"), max_length=200)
    date = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=50)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date"]
        indexes = [models.Index(fields=["mall", "date"], name="training_mall_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


@audited()
class TrainingAttendance(models.Model):
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    session = models.ForeignKey(TrainingSession, models.PROTECT, related_name="attendances")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("staff member")
    )

    class Meta:
        verbose_name = _("training attendee")
        verbose_name_plural = _("training attendees")
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="training_attendee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.staff_id}"
