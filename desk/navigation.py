from django.utils.translation import gettext_lazy as _

from desk.permissions import (
    ADD_WALKINSERVICE,
    USE_RELEASEPASS,
    VIEW_FOOTAGEREVIEW,
    VIEW_GROUPPURCHASE,
    VIEW_INCIDENT,
    VIEW_INVOICEREQUEST,
    VIEW_PARKINGVALIDATION,
    VIEW_RELEASEPASS,
    VIEW_RETURNCASE,
    VIEW_WALKINSERVICE,
)
from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(_("Incident log"), "desk:incident_list", "exclamation-octagon", VIEW_INCIDENT),
    MenuEntry(_("Walk-in services"), "desk:walkins", "hand-index", ADD_WALKINSERVICE),
    MenuEntry(_("Walk-in services by hour"), "desk:walkin_load", "bar-chart", VIEW_WALKINSERVICE),
    MenuEntry(_("Goods release passes"), "desk:pass_list", "box-arrow-right", VIEW_RELEASEPASS),
    MenuEntry(_("Check a pass at the exit"), "desk:pass_check", "qr-code-scan", USE_RELEASEPASS),
    MenuEntry(_("Returns and exchanges"), "desk:return_list", "arrow-left-right", VIEW_RETURNCASE),
    MenuEntry(_("CCTV footage reviews"), "desk:footage_list", "camera-video", VIEW_FOOTAGEREVIEW),
]

MENU += [
    MenuEntry(_("Invoice requests"), "desk:invoice_list", "receipt", VIEW_INVOICEREQUEST),
    MenuEntry(_("Parking validations"), "desk:parking_list", "p-square", VIEW_PARKINGVALIDATION),
    MenuEntry(_("Group purchases"), "desk:group_list", "people", VIEW_GROUPPURCHASE),
]
