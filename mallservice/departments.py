"""The mall's departments (部门): one vocabulary for every app that names one
(a complaint's or a fault's handling department, the mailroom's sender and
recipient departments). Codes are stored; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("customer-service department")
    PROPERTY = "property", _("property management")
    ENGINEERING = "engineering", _("engineering")
    SECURITY = "security", _("security")
    CLEANING = "cleaning", _("cleaning")
    MARKETING = "marketing", _("marketing")
    LEASING = "leasing", _("leasing")
    FINANCE = "finance", _("finance")
    ADMIN = "admin", _("administration and HR")
