from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry
from mallservice.roles import Role

_ALL = (Role.DESK, Role.BROADCASTER, Role.SUPERVISOR, Role.MANAGER)

MENU = [
    MenuEntry(_("My schedule"), "rosters:my", "calendar-week", _ALL),
    MenuEntry(_("Roster"), "rosters:week", "grid-3x3", (Role.SUPERVISOR, Role.MANAGER)),
    MenuEntry(_("Attendance"), "rosters:clock", "clock", _ALL),
    MenuEntry(_("Shift handover"), "rosters:handovers", "arrow-left-right", _ALL),
    MenuEntry(_("Office supplies"), "rosters:supplies", "paperclip", _ALL),
    MenuEntry(_("Staff meals"), "rosters:meals", "cup-hot", _ALL),
    MenuEntry(
        _("Day's meal list"),
        "rosters:meal_list",
        "card-checklist",
        (Role.DESK, Role.SUPERVISOR, Role.MANAGER),
    ),
]
