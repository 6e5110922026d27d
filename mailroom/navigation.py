from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(_("Parcels"), "mailroom:parcel_list", "box-seam", "mailroom.view_parcel"),
    MenuEntry(
        _("Lost and found"), "mailroom:found_list", "search-heart", "mailroom.view_founditem"
    ),
    MenuEntry(_("Lending"), "mailroom:loan_list", "person-wheelchair", "mailroom.view_loan"),
]
