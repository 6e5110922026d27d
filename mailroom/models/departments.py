"""Who sends and who carries: the mall's departments (outgoing mail, parcels
for a department) — the project's one vocabulary, `mallservice.departments`
— and the courier companies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mallservice.departments import Department

__all__ = ["Carrier", "Department"]


class Carrier(models.TextChoices):
    SF = "sf", _("SF Express")
    EMS = "ems", _("EMS / China Post")
    JD = "jd", _("JD Logistics")
    ZTO = "zto", _("ZTO Express")
    YTO = "yto", _("YTO Express")
    STO = "sto", _("STO Express")
    YUNDA = "yunda", _("Yunda Express")
    JT = "jt", _("J&T Express")
    OTHER = "other", _("other carrier")
