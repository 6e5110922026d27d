from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    # 前台登记: the registers the desk keeps beside complaints and members.
    verbose_name = _("Desk registers")
