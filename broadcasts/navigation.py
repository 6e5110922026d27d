from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(_("Broadcasts"), "broadcasts:queue", "megaphone", "broadcasts.view_announcement"),
    MenuEntry(_("Screens"), "broadcasts:message_list", "display", "broadcasts.view_screenmessage"),
]
