from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry
from mallservice.roles import Role

MENU = [
    MenuEntry(
        _("Broadcasts"),
        "broadcasts:queue",
        "megaphone",
        (Role.DESK, Role.BROADCASTER, Role.SUPERVISOR, Role.MANAGER),
    ),
    MenuEntry(
        _("Screens"),
        "broadcasts:message_list",
        "display",
        (Role.DESK, Role.BROADCASTER, Role.SUPERVISOR, Role.MANAGER),
    ),
]
