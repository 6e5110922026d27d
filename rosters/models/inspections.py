"""Daily inspections (日常检查, 考核)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin


@audited()
class Inspection(ConstraintMessagesMixin, models.Model):
    """日常检查: the supervisor's daily check of one staff member (考核)."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="inspections",
        verbose_name=_("staff member"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    date = models.DateField(_("date"))
    discipline = models.PositiveSmallIntegerField(_("discipline"))
    attitude = models.PositiveSmallIntegerField(_("attitude"))
    appearance = models.PositiveSmallIntegerField(_("appearance"))
    skills = models.PositiveSmallIntegerField(_("skills"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    SCORE_FIELDS = ("discipline", "attitude", "appearance", "skills")

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "inspection_discipline_1_to_5": ("discipline", _("A score from 1 to 5.")),
        "inspection_attitude_1_to_5": ("attitude", _("A score from 1 to 5.")),
        "inspection_appearance_1_to_5": ("appearance", _("A score from 1 to 5.")),
        "inspection_skills_1_to_5": ("skills", _("A score from 1 to 5.")),
    }

    class Meta:
        verbose_name = _("daily inspection")
        verbose_name_plural = _("daily inspections")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="inspection_one_a_day"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                    name=f"inspection_{f}_1_to_5",
                )
                for f in ("discipline", "attitude", "appearance", "skills")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date}"

    @property
    def total(self) -> int:
        return self.discipline + self.attitude + self.appearance + self.skills
