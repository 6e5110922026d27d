"""The rows behind the working calendar: a year's statutory holidays and
make-up workdays entered by a manager when the package lacks the year, and
each mall's days of other opening hours."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin


@audited()
class CalendarYear(models.Model):
    """A year whose official schedule (published by the State Council each
    November) a manager entered for the whole group. Its days are the
    `StatutoryDay` rows; a year with a row here is complete, even if the
    schedule had no make-up workday."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"))
    note = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday table")
        verbose_name_plural = _("holiday tables")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("statutory holiday")
    WORKDAY = "workday", _("make-up workday")


@audited()
class StatutoryDay(models.Model):
    """One day of an entered year that is not what its weekday says: a
    holiday on a weekday, or a make-up workday (调休) on a weekend."""

    calendar_year = models.ForeignKey(
        CalendarYear, models.CASCADE, related_name="days", verbose_name=_("holiday table")
    )
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("statutory day")
        verbose_name_plural = _("statutory days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


@audited()
class MallDayHours(ConstraintMessagesMixin, models.Model):
    """A day a mall keeps other hours than its usual ones: closed (除夕),
    open late for a promotion night, shorter 春节 hours. A closing time at
    or before the opening time closes after midnight (a night sale until
    02:00)."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    day = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=False)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=100)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mall_day_hours_open_or_closed": (
            "opens_at",
            _("Enter the opening and closing times, or mark the day closed."),
        ),
        "mall_day_hours_once_a_day": ("day", _("This day already has its own hours.")),
    }

    class Meta:
        verbose_name = _("day of other opening hours")
        verbose_name_plural = _("days of other opening hours")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "day"], name="mall_day_hours_once_a_day"),
            models.CheckConstraint(
                condition=Q(closed=True, opens_at__isnull=True, closes_at__isnull=True)
                | (
                    Q(closed=False, opens_at__isnull=False, closes_at__isnull=False)
                    & ~Q(opens_at=models.F("closes_at"))
                ),
                name="mall_day_hours_open_or_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.day}"
