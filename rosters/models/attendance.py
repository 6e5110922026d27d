"""Clock-in PINs and the punch log (上班打卡 / 下班打卡)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.audit import append_only_triggers, audited


@audited(exclude=["pin_hash"])
class ClockPin(models.Model):
    """The PIN a staff member types on the shared desk screen."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, related_name="+")
    staff = models.OneToOneField(settings.AUTH_USER_MODEL, models.PROTECT, related_name="clock_pin")
    pin_hash = models.CharField(max_length=128)
    # Wrong PINs in a row and when the last was typed: the lock of
    # rosters.services.clock_record_by_pin, one count per person.
    pin_failures = models.PositiveSmallIntegerField(_("wrong PINs"), default=0, db_default=0)
    pin_failed_at = models.DateTimeField(_("last wrong PIN at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock-in PIN")
        verbose_name_plural = _("clock-in PINs")

    def __str__(self) -> str:
        return str(self.staff_id)


class ClockEvent(models.Model):
    """上班打卡 / 下班打卡: an append-only punch log; attendance is computed
    from it, never edited into it."""

    class Kind(models.TextChoices):
        IN = "in", _("clock in")
        OUT = "out", _("clock out")

    class Via(models.TextChoices):
        LOGIN = "login", _("own login")
        PIN = "pin", _("PIN on the shared screen")

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="clock_events",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    via = models.CharField(_("via"), max_length=8, choices=Via.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The shared screen's device cookie on a PIN punch (rosters.clock_flags):
    # a punch from a device or address not seen lately is flagged.
    device = models.CharField(_("device"), max_length=64, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("clock event")
        verbose_name_plural = _("clock events")
        ordering = ["at"]
        triggers = append_only_triggers()
        indexes = [models.Index(fields=["staff", "at"], name="clockevent_staff_at")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
