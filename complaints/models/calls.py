"""电话接待记录: the desk's phone log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models.complaints import Complaint
from mallservice.audit import audited


@audited()
class PhoneCall(models.Model):
    """电话接待记录: every call the desk handles, complaint or not."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("inbound")
        OUTBOUND = "out", _("outbound")

    class Topic(models.TextChoices):
        INQUIRY = "inquiry", _("inquiry")
        SUGGESTION = "suggestion", _("suggestion")
        PRAISE = "praise", _("praise")
        LOST_ITEM = "lost_item", _("lost item")
        COMPLAINT = "complaint", _("complaint")
        OTHER = "other", _("other")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    at = models.DateTimeField(_("time"))
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.INBOUND
    )
    caller_name = models.CharField(_("caller"), max_length=50, blank=True)
    phone = models.CharField(_("number"), max_length=20, blank=True)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    summary = models.TextField(_("what was said"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("handled by")
    )
    complaint = models.OneToOneField(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="phone_call",
        verbose_name=_("complaint"),
    )

    class Meta:
        verbose_name = _("phone call")
        verbose_name_plural = _("phone log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["mall", "-at", "-id"], name="phonecall_mall_recent_id")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.topic}"
