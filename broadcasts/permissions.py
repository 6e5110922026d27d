"""What each role may do in the broadcast room: the broadcaster airs and
logs; desk staff request; the supervisor approves and manages templates,
the routine schedule and the screens (managers get everything)."""

from mallservice.roles import Role

_VIEW = [
    "broadcasts.view_announcement",
    "broadcasts.view_missingpersoncase",
    "broadcasts.view_screenmessage",
    "broadcasts.view_screen",
    "broadcasts.view_scripttemplate",
]

ROLE_PERMISSIONS = {
    Role.DESK: [
        *_VIEW,
        "broadcasts.add_announcement",
        "broadcasts.change_announcement",
        "broadcasts.add_missingpersoncase",
        "broadcasts.change_missingpersoncase",
        "broadcasts.add_screenmessage",
    ],
    Role.BROADCASTER: [
        *_VIEW,
        "broadcasts.add_announcement",
        "broadcasts.change_announcement",
        "broadcasts.air_announcement",
        "broadcasts.view_routineairing",
        "broadcasts.add_missingpersoncase",
        "broadcasts.change_missingpersoncase",
        "broadcasts.add_screenmessage",
    ],
    Role.SUPERVISOR: [
        *_VIEW,
        "broadcasts.add_announcement",
        "broadcasts.change_announcement",
        "broadcasts.approve_announcement",
        "broadcasts.view_routineairing",
        "broadcasts.add_missingpersoncase",
        "broadcasts.change_missingpersoncase",
        "broadcasts.add_scripttemplate",
        "broadcasts.change_scripttemplate",
        "broadcasts.add_routineslot",
        "broadcasts.change_routineslot",
        "broadcasts.view_routineslot",
        "broadcasts.add_screen",
        "broadcasts.change_screen",
        "broadcasts.add_screenmessage",
        "broadcasts.approve_screenmessage",
        "broadcasts.view_screenliverecord",
    ],
}
