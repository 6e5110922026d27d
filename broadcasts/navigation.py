from django.utils.translation import gettext_lazy as _

from broadcasts.permissions import VIEW_ANNOUNCEMENT, VIEW_SCREENMESSAGE
from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(_("Broadcasts"), "broadcasts:queue", "megaphone", VIEW_ANNOUNCEMENT),
    MenuEntry(_("Screens"), "broadcasts:message_list", "display", VIEW_SCREENMESSAGE),
]
