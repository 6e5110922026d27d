from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry
from mallservice.roles import Role

MENU = [
    MenuEntry(
        _("Members"), "members:search", "person-vcard", (Role.DESK, Role.SUPERVISOR, Role.MANAGER)
    ),
    MenuEntry(_("My calls today"), "members:my_calls", "telephone", (Role.DESK, Role.SUPERVISOR)),
    MenuEntry(
        _("VIP follow-up"), "members:supervision", "clipboard-data", (Role.SUPERVISOR, Role.MANAGER)
    ),
]
