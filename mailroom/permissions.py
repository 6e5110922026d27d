"""What each role may do in the mailroom. Permissions are the one
authorization vocabulary: views (`permission_required`), templates
(`perms.mailroom.view_parcel`), menus and `ROLE_PERMISSIONS` name these
constants (managers get every non-delete permission automatically)."""

from mallservice.roles import Role

VIEW_PARCEL = "mailroom.view_parcel"
ADD_PARCEL = "mailroom.add_parcel"
CHANGE_PARCEL = "mailroom.change_parcel"
VIEW_PARCELPICKUP = "mailroom.view_parcelpickup"
ADD_PARCELPICKUP = "mailroom.add_parcelpickup"
CHANGE_PARCELPICKUP = "mailroom.change_parcelpickup"
VIEW_OUTGOINGMAIL = "mailroom.view_outgoingmail"
ADD_OUTGOINGMAIL = "mailroom.add_outgoingmail"
CHANGE_OUTGOINGMAIL = "mailroom.change_outgoingmail"
VIEW_DISPATCHBATCH = "mailroom.view_dispatchbatch"
ADD_DISPATCHBATCH = "mailroom.add_dispatchbatch"
CHANGE_DISPATCHBATCH = "mailroom.change_dispatchbatch"
VIEW_FOUNDITEM = "mailroom.view_founditem"
ADD_FOUNDITEM = "mailroom.add_founditem"
CHANGE_FOUNDITEM = "mailroom.change_founditem"
# Hand a found item to the police or dispose of it after the retention period.
DISPOSE_FOUNDITEM = "mailroom.dispose_founditem"
VIEW_LOSTREPORT = "mailroom.view_lostreport"
ADD_LOSTREPORT = "mailroom.add_lostreport"
CHANGE_LOSTREPORT = "mailroom.change_lostreport"
VIEW_ITEMCLAIM = "mailroom.view_itemclaim"
ADD_ITEMCLAIM = "mailroom.add_itemclaim"
CHANGE_ITEMCLAIM = "mailroom.change_itemclaim"
VIEW_LENDABLEASSET = "mailroom.view_lendableasset"
ADD_LENDABLEASSET = "mailroom.add_lendableasset"
CHANGE_LENDABLEASSET = "mailroom.change_lendableasset"
# Take a lending item out of service and back.
SERVICE_LENDABLEASSET = "mailroom.service_lendableasset"
VIEW_LOAN = "mailroom.view_loan"
ADD_LOAN = "mailroom.add_loan"
CHANGE_LOAN = "mailroom.change_loan"

_DESK = [
    VIEW_PARCEL,
    ADD_PARCEL,
    CHANGE_PARCEL,
    VIEW_PARCELPICKUP,
    ADD_PARCELPICKUP,
    CHANGE_PARCELPICKUP,
    VIEW_OUTGOINGMAIL,
    ADD_OUTGOINGMAIL,
    CHANGE_OUTGOINGMAIL,
    VIEW_DISPATCHBATCH,
    ADD_DISPATCHBATCH,
    CHANGE_DISPATCHBATCH,
    VIEW_FOUNDITEM,
    ADD_FOUNDITEM,
    CHANGE_FOUNDITEM,
    VIEW_LOSTREPORT,
    ADD_LOSTREPORT,
    CHANGE_LOSTREPORT,
    VIEW_ITEMCLAIM,
    ADD_ITEMCLAIM,
    CHANGE_ITEMCLAIM,
    VIEW_LOAN,
    ADD_LOAN,
    CHANGE_LOAN,
    VIEW_LENDABLEASSET,
    # The desk sees a broken wheelchair first and takes it out of service.
    SERVICE_LENDABLEASSET,
]

ROLE_PERMISSIONS = {
    Role.DESK: _DESK,
    # The broadcast room sees the found items it is asked to announce.
    Role.BROADCASTER: [VIEW_FOUNDITEM],
    Role.SUPERVISOR: [
        *_DESK,
        ADD_LENDABLEASSET,
        CHANGE_LENDABLEASSET,
        DISPOSE_FOUNDITEM,
    ],
}
