"""The off-post log (离岗登记)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from rosters.models.roster import Post


@audited()
class OffPostRecord(ConstraintMessagesMixin, models.Model):
    """离岗登记: who left which post, why, who covered, when they came back.
    `flag_due_at` is the row the beat dispatcher claims to flag an absence
    that runs past the limit."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="off_post_records",
        verbose_name=_("staff member"),
    )
    post = models.ForeignKey(Post, models.PROTECT, verbose_name=_("post"))
    reason = models.CharField(_("reason"), max_length=200)
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("covering colleague"),
    )
    out_at = models.DateTimeField(_("left at"))
    back_at = models.DateTimeField(_("back at"), null=True, blank=True)
    flag_due_at = models.DateTimeField(_("flag due at"))
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "offpost_not_covering_self": ("covered_by", _("Choose a colleague, not yourself.")),
    }

    class Meta:
        verbose_name = _("off-post record")
        verbose_name_plural = _("off-post records")
        ordering = ["-out_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(back_at__isnull=True)
                | models.Q(back_at__gte=models.F("out_at")),
                name="offpost_back_after_out",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(back_at__isnull=True),
                name="offpost_one_open_per_staff",
            ),
            models.CheckConstraint(
                condition=~models.Q(covered_by=models.F("staff")),
                name="offpost_not_covering_self",
            ),
        ]
        indexes = [
            models.Index(
                fields=["flag_due_at"],
                condition=models.Q(back_at__isnull=True, flagged_at__isnull=True),
                name="offpost_flag_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {timezone.localtime(self.out_at):%m-%d %H:%M}"

    def minutes(self, now: datetime.datetime | None = None) -> int:
        end = self.back_at or now or timezone.now()
        return int((end - self.out_at).total_seconds() // 60)
