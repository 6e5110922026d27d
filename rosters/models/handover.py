"""Shift handovers (交接班)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from rosters.models.roster import Post


@audited()
class Handover(ConstraintMessagesMixin, models.Model):
    """交接班: the outgoing staff member's checklist of what is still open at
    their post (a snapshot of `mallservice.handover.open_items`, stored as
    codes and msgids) plus a note; the incoming staff member acknowledges it."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    post = models.ForeignKey(Post, models.PROTECT, related_name="+", verbose_name=_("post"))
    outgoing_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("handed over by")
    )
    items = models.JSONField(_("checklist"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("handed over at"))
    incoming_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken over by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "handover_between_two_people": ("incoming_staff", _("Choose a colleague, not yourself.")),
    }

    class Meta:
        verbose_name = _("shift handover")
        verbose_name_plural = _("shift handovers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(incoming_staff__isnull=True, acknowledged_at__isnull=True)
                | models.Q(incoming_staff__isnull=False, acknowledged_at__isnull=False),
                name="handover_acknowledged_has_who_and_when",
            ),
            # A handover is between two people.
            models.CheckConstraint(
                condition=~models.Q(incoming_staff=models.F("outgoing_staff")),
                name="handover_between_two_people",
            ),
        ]
        indexes = [
            models.Index(
                fields=["mall", "created_at"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="handover_unacknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
