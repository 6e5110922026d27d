"""Who sends and who carries: the mall's departments (outgoing mail, parcels
for a department) and the courier companies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Department(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("customer-service department")
    PROPERTY = "property", _("property management")
    MARKETING = "marketing", _("marketing")
    LEASING = "leasing", _("leasing")
    FINANCE = "finance", _("finance")
    SECURITY = "security", _("security")
    ENGINEERING = "engineering", _("engineering")
    ADMIN = "admin", _("administration and HR")
