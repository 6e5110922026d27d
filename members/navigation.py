from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry
from members.permissions import ADD_CALLATTEMPT, VIEW_CAMPAIGN, VIEW_MEMBER

MENU = [
    MenuEntry(_("Members"), "members:search", "person-vcard", VIEW_MEMBER),
    MenuEntry(_("My calls today"), "members:my_calls", "telephone", ADD_CALLATTEMPT),
    MenuEntry(_("VIP follow-up"), "members:supervision", "clipboard-data", VIEW_CAMPAIGN),
]
