from mallservice.roles import Role

DESK = [
    "members.view_member",
    "members.add_member",
    "members.change_member",
    "members.reveal_phone",
    "members.view_card",
    "members.add_card",
    "members.change_card",
    "members.view_pointsentry",
    "members.add_pointsentry",
    "members.view_calltask",
    "members.add_callattempt",
    "members.view_memberimport",
    "members.add_memberimport",
]

ROLE_PERMISSIONS = {
    Role.DESK: DESK,
    Role.SUPERVISOR: [
        *DESK,
        "members.merge_member",
        "members.change_tier",
        "members.change_pointsadjustment",
        "members.view_campaign",
        "members.add_campaign",
        "members.change_campaign",
        "members.view_tierreviewrun",
    ],
}
