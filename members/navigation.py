from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(_("Members"), "members:search", "person-vcard", "members.view_member"),
    MenuEntry(_("My calls today"), "members:my_calls", "telephone", "members.add_callattempt"),
    MenuEntry(_("VIP follow-up"), "members:supervision", "clipboard-data", "members.view_campaign"),
]
