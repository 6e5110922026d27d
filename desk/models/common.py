"""What the desk registers' models share: the reference counter and the
state machine over their `status` fields."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mallservice import workflow
from mallservice.audit import audited


class StateMachineMixin(workflow.StateMachineMixin):
    """The project's state machine over this app's `status` fields."""

    STATE_FIELD = "status"


@audited()
class ReferenceCounter(models.Model):
    """The last reference number handed out per mall, series and year
    (incidents SJ-2026-00042, release passes FX-2026-00007, returns
    TH-2026-00003, CCTV reviews JK-2026-00011). The service
    locks this row, so two desks never get the same number."""

    class Series(models.TextChoices):
        INCIDENT = "incident", _("incident")
        RELEASE_PASS = "release_pass", _("goods release pass")
        RETURN_CASE = "return_case", _("return or exchange")
        FOOTAGE_REVIEW = "footage_review", _("CCTV footage review")
        INVOICE = "invoice", _("invoice request")
        PARKING = "parking", _("parking validation")
        GROUP_PURCHASE = "group_purchase", _("group purchase")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    series = models.CharField(_("series"), max_length=16, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "series", "year"], name="desk_counter_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.series} {self.year} {self.last_number}"


@audited()
class DeskSettings(models.Model):
    """A mall's settings for the registers, created with the mall
    (`desk/mall_setup.py`) and edited in the admin: who the duty manager
    (值班经理) is, whom an urgent incident is reported to at once."""

    mall = models.OneToOneField(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    duty_manager_name = models.CharField(_("duty manager"), max_length=50, blank=True)
    duty_manager_phone = models.CharField(_("duty manager's phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("desk register settings")
        verbose_name_plural = _("desk register settings")

    def __str__(self) -> str:
        return str(self.mall_id)
