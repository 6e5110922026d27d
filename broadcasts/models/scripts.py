"""What the broadcast room reads out: the kinds of announcement, the script
templates (播音稿) and their {placeholders}."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import audited

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# The fields a script template may ask for, as {placeholder} in its body.
# A fixed catalogue so labels are translated and forms stay simple.
SCRIPT_FIELDS: dict[str, str] = {
    "plate_number": _("plate number"),
    "car_colour": _("car colour"),
    "item_description": _("item description"),
    "found_place": _("found where"),
    "meeting_point": _("meeting point"),
    "event_name": pgettext_lazy("promotion", "event"),
    "event_details": _("offer details"),
    "shop_name": _("shop"),
    "time_text": _("time"),
    "person_description": _("description of the person"),
    "message": _("message"),
}


def template_placeholders(body: str) -> list[str]:
    """The placeholders of a script body, in order, without repeats."""
    seen: list[str] = []
    for name in PLACEHOLDER.findall(body):
        if name not in seen:
            seen.append(name)
    return seen


def script_preview(body: str) -> str:
    """The body as staff read it: each {placeholder} shown as its field's
    label in the reader's language (【商户】), not as its code."""
    return PLACEHOLDER.sub(lambda m: f"【{SCRIPT_FIELDS.get(m.group(1), m.group(1))}】", body)


def render_script(body: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), "").strip(), body)


class AnnouncementKind(models.TextChoices):
    EMERGENCY = "emergency", _("emergency / evacuation")
    MISSING_PERSON = "missing_person", _("missing person")
    CAR_MOVE = "car_move", _("car move")
    LOST_ITEM = "lost_item", _("lost item found")
    OTHER = "other", _("other")
    PROMOTION = "promotion", _("promotion")
    ADVERTISEMENT = "advertisement", _("advertisement")
    ROUTINE = "routine", _("routine")


# Lower is more urgent: the broadcaster's queue is ordered by this.
KIND_URGENCY: dict[str, int] = {
    AnnouncementKind.EMERGENCY: 0,
    AnnouncementKind.MISSING_PERSON: 1,
    AnnouncementKind.CAR_MOVE: 2,
    AnnouncementKind.LOST_ITEM: 3,
    AnnouncementKind.OTHER: 4,
    AnnouncementKind.ROUTINE: 5,
    AnnouncementKind.PROMOTION: 6,
    AnnouncementKind.ADVERTISEMENT: 7,
}
# "Advertisements and promotions need a supervisor's approval before airing;
# missing person, car move and emergency never wait for approval."
KINDS_NEEDING_APPROVAL = frozenset({AnnouncementKind.ADVERTISEMENT, AnnouncementKind.PROMOTION})


@audited()
class ScriptTemplate(models.Model):
    """A fixed script (播音稿) with {placeholders} filled in per request."""

    mall = models.ForeignKey(
        "mallservice.Mall", models.PROTECT, related_name="+", verbose_name=_("mall")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AnnouncementKind.choices)
    name = models.CharField(_("name"), max_length=80)
    body = models.TextField(
        _("script"), help_text=_("Use {plate_number}, {meeting_point} … for the fields to fill.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("script template")
        verbose_name_plural = _("script templates")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "name"], name="script_template_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def placeholders(self) -> list[str]:
        return template_placeholders(self.body)

    @property
    def preview(self) -> str:
        return script_preview(self.body)
