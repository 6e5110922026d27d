from django.utils.translation import gettext_lazy as _

from mailroom import permissions as perms
from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(_("Parcels"), "mailroom:parcel_list", "box-seam", perms.VIEW_PARCEL),
    MenuEntry(_("Lost and found"), "mailroom:found_list", "search-heart", perms.VIEW_FOUNDITEM),
    MenuEntry(_("Lending"), "mailroom:loan_list", "person-wheelchair", perms.VIEW_LOAN),
]
