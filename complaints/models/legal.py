"""The legal clocks of the public complaint channels, in working days on
the group's calendar (statutory holidays and 调休 counted).

- 12315: the business negotiates within 10 working days of receiving the
  dispute (在线消费纠纷解决: 10个工作日内与消费者协商).
- Market regulation (市场监督管理部门投诉举报处理暂行办法): 7 working days
  to decide on acceptance; mediation ends within 45 working days of it.
  The mall answers the bureau's referral, so the default is the 7.
- 12345 hotlines: each city sets its own (3 working days for an urgent
  request or 13 for an ordinary one are common, with a callback).
A mall's city may have its own rule per channel; without one the
national defaults below apply.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models.desk import Channel
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin

DEFAULT_LEGAL_DAYS: dict[str, int] = {
    Channel.TWELVE315: 10,
    Channel.REGULATOR: 7,
    Channel.TWELVE345: 13,
}
# The legal rung fires this many working days before the deadline day.
DEFAULT_WARN_DAYS = 1


@audited()
class LegalClockRule(ConstraintMessagesMixin, models.Model):
    """A city's rule for a channel's legal deadline (an empty city: every
    city without its own rule)."""

    city = models.CharField(_("city"), max_length=50, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    warn_days = models.PositiveSmallIntegerField(
        _("escalate working days before"), default=DEFAULT_WARN_DAYS
    )
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "legal_rule_days_positive": ("working_days", _("At least 1 working day.")),
        "legal_rule_once_per_city": (
            "channel",
            _("This city already has a rule for this channel."),
        ),
    }

    class Meta:
        verbose_name = _("legal deadline rule")
        verbose_name_plural = _("legal deadline rules")
        ordering = ["city", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["city", "channel"], name="legal_rule_once_per_city"),
            models.CheckConstraint(
                condition=Q(working_days__gte=1), name="legal_rule_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city or '*'} {self.channel} {self.working_days}"
