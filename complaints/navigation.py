from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry
from mallservice.roles import Role

_ROLES = (Role.DESK, Role.SUPERVISOR, Role.MANAGER)

MENU = [
    MenuEntry(_("Complaints"), "complaints:list", "exclamation-diamond", _ROLES),
    MenuEntry(_("Fault reports"), "complaints:fault_list", "tools", _ROLES),
    MenuEntry(_("Phone log"), "complaints:calls", "telephone", _ROLES),
    MenuEntry(_("Complaint summaries"), "complaints:summaries", "clipboard-data", _ROLES),
]
