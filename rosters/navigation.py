from django.utils.translation import gettext_lazy as _

from mallservice.navigation import MenuEntry
from rosters import permissions as perms

MENU = [
    MenuEntry(_("My schedule"), "rosters:my", "calendar-week", perms.VIEW_ASSIGNMENT),
    MenuEntry(_("Roster"), "rosters:week", "grid-3x3", perms.PLAN_WEEK),
    MenuEntry(_("Attendance"), "rosters:clock", "clock", perms.ADD_CLOCKEVENT),
    MenuEntry(_("Spot checks"), "rosters:spot_check_new", "binoculars", perms.ADD_SPOTCHECK),
    MenuEntry(_("Shift handover"), "rosters:handovers", "arrow-left-right", perms.VIEW_HANDOVER),
    MenuEntry(_("Office supplies"), "rosters:supplies", "paperclip", perms.ADD_SUPPLYREQUISITION),
    MenuEntry(_("Staff meals"), "rosters:meals", "cup-hot", perms.ADD_MEALORDER),
    MenuEntry(_("Day's meal list"), "rosters:meal_list", "card-checklist", perms.VIEW_MEALORDER),
]
