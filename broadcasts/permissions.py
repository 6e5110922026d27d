"""The broadcast room's permissions, the one vocabulary of its views
(`permission_required`), services (`actor.has_perm(...)`), templates
(`perms.broadcasts.<codename>`) and menu. What each role may do: the
broadcaster airs and logs; desk staff request; the supervisor approves and
manages templates, the routine schedule and the screens (managers get
every non-delete permission)."""

from mallservice.roles import Role

VIEW_ANNOUNCEMENT = "broadcasts.view_announcement"
ADD_ANNOUNCEMENT = "broadcasts.add_announcement"
# Cancel a request once resolved (car moved, child found).
CHANGE_ANNOUNCEMENT = "broadcasts.change_announcement"
# Advertisements and promotions air only once a supervisor approves them.
APPROVE_ANNOUNCEMENT = "broadcasts.approve_announcement"
# Read announcements and routine broadcasts out (the broadcaster).
AIR_ANNOUNCEMENT = "broadcasts.air_announcement"

VIEW_SCRIPTTEMPLATE = "broadcasts.view_scripttemplate"
ADD_SCRIPTTEMPLATE = "broadcasts.add_scripttemplate"
CHANGE_SCRIPTTEMPLATE = "broadcasts.change_scripttemplate"
VIEW_ROUTINESLOT = "broadcasts.view_routineslot"
ADD_ROUTINESLOT = "broadcasts.add_routineslot"
# Who keeps the routine schedule also follows up the broadcasts it missed.
CHANGE_ROUTINESLOT = "broadcasts.change_routineslot"
VIEW_ROUTINEAIRING = "broadcasts.view_routineairing"

VIEW_MISSINGPERSONCASE = "broadcasts.view_missingpersoncase"
ADD_MISSINGPERSONCASE = "broadcasts.add_missingpersoncase"
CHANGE_MISSINGPERSONCASE = "broadcasts.change_missingpersoncase"

VIEW_SCREEN = "broadcasts.view_screen"
ADD_SCREEN = "broadcasts.add_screen"
CHANGE_SCREEN = "broadcasts.change_screen"
VIEW_SCREENMESSAGE = "broadcasts.view_screenmessage"
ADD_SCREENMESSAGE = "broadcasts.add_screenmessage"
# Put a message (or a change to a live one, or an emergency) on the screens.
APPROVE_SCREENMESSAGE = "broadcasts.approve_screenmessage"
VIEW_SCREENLIVERECORD = "broadcasts.view_screenliverecord"

_VIEW = [
    VIEW_ANNOUNCEMENT,
    VIEW_MISSINGPERSONCASE,
    VIEW_SCREENMESSAGE,
    VIEW_SCREEN,
    VIEW_SCRIPTTEMPLATE,
]

ROLE_PERMISSIONS = {
    Role.DESK: [
        *_VIEW,
        ADD_ANNOUNCEMENT,
        CHANGE_ANNOUNCEMENT,
        ADD_MISSINGPERSONCASE,
        CHANGE_MISSINGPERSONCASE,
        ADD_SCREENMESSAGE,
    ],
    Role.BROADCASTER: [
        *_VIEW,
        ADD_ANNOUNCEMENT,
        CHANGE_ANNOUNCEMENT,
        AIR_ANNOUNCEMENT,
        VIEW_ROUTINEAIRING,
        ADD_MISSINGPERSONCASE,
        CHANGE_MISSINGPERSONCASE,
        ADD_SCREENMESSAGE,
    ],
    Role.SUPERVISOR: [
        *_VIEW,
        ADD_ANNOUNCEMENT,
        CHANGE_ANNOUNCEMENT,
        APPROVE_ANNOUNCEMENT,
        VIEW_ROUTINEAIRING,
        ADD_MISSINGPERSONCASE,
        CHANGE_MISSINGPERSONCASE,
        ADD_SCRIPTTEMPLATE,
        CHANGE_SCRIPTTEMPLATE,
        ADD_ROUTINESLOT,
        CHANGE_ROUTINESLOT,
        VIEW_ROUTINESLOT,
        ADD_SCREEN,
        CHANGE_SCREEN,
        ADD_SCREENMESSAGE,
        APPROVE_SCREENMESSAGE,
        VIEW_SCREENLIVERECORD,
    ],
}
