from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry

MENU = [
    MenuEntry(_("My schedule"), "rosters:my", "calendar-week", "rosters.view_assignment"),
    MenuEntry(_("Roster"), "rosters:week", "grid-3x3", "rosters.plan_week"),
    MenuEntry(_("Attendance"), "rosters:clock", "clock", "rosters.add_clockevent"),
    MenuEntry(
        _("Shift handover"), "rosters:handovers", "arrow-left-right", "rosters.view_handover"
    ),
    MenuEntry(
        _("Office supplies"), "rosters:supplies", "paperclip", "rosters.add_supplyrequisition"
    ),
    MenuEntry(_("Staff meals"), "rosters:meals", "cup-hot", "rosters.add_mealorder"),
    MenuEntry(
        _("Day's meal list"), "rosters:meal_list", "card-checklist", "rosters.view_mealorder"
    ),
]
