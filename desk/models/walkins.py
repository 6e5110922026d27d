"""Walk-in services (前台其他服务记录): one click at the desk for each
enquiry, direction given, gift wrapped, phone charged… counted by hour, so
the supervisor sees the desk's real load. Categories are per mall, edited
in the admin (defaults come with the mall: `desk/mall_setup.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited


@audited()
class WalkInCategory(models.Model):
    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=30)
    icon = models.CharField(
        _("icon"), max_length=30, default="hand-index", help_text=_("A Bootstrap Icons name.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("walk-in service category")
        verbose_name_plural = _("walk-in service categories")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="walkin_category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class WalkInService(models.Model):
    """One service given at the desk: a single INSERT per click. `token` is
    the button's, new at each rendering, so a double click (or a retried
    request) counts once."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    category = models.ForeignKey(
        WalkInCategory, models.PROTECT, related_name="+", verbose_name=_("service")
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    # Opaque, from the button (a UUID as the page makes it).
    token = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = _("walk-in service")
        verbose_name_plural = _("walk-in services")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["mall", "at", "category"], name="walkin_mall_at"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
