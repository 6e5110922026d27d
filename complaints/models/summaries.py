"""Stored complaint summaries: weekly and monthly ones built and mailed by
beat; a day's only when a supervisor asks for it (the day itself is mailed
as the complaints section of the desk's daily report)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited


@audited()
class Summary(models.Model):
    """A stored daily / weekly / monthly summary of a mall's complaints."""

    class Period(models.TextChoices):
        DAY = "day", _("daily")
        WEEK = "week", _("weekly")
        MONTH = "month", _("monthly")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    generated_at = models.DateTimeField(_("generated at"))
    data = models.JSONField(_("figures"), default=dict)
    emailed_to = models.JSONField(_("e-mailed to"), default=list, blank=True)

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")
        ordering = ["-starts_on", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "period", "starts_on"], name="complaint_summary_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="complaint_summary_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.starts_on}"
