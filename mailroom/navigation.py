from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry
from mallservice.roles import Role

_DESK = (Role.DESK, Role.SUPERVISOR, Role.MANAGER)

MENU = [
    MenuEntry(_("Parcels"), "mailroom:parcel_list", "box-seam", _DESK),
    MenuEntry(_("Lost and found"), "mailroom:found_list", "search-heart", _DESK),
    MenuEntry(_("Lending"), "mailroom:loan_list", "person-wheelchair", _DESK),
]
