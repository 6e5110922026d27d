from mallservice.roles import Role

_DESK = [
    f"mailroom.{action}_{model}"
    for model in (
        "parcel",
        "parcelpickup",
        "outgoingmail",
        "dispatchbatch",
        "founditem",
        "lostreport",
        "itemclaim",
        "loan",
    )
    for action in ("view", "add", "change")
] + [
    "mailroom.view_notification",
    "mailroom.view_lendableasset",
    # The desk sees a broken wheelchair first and takes it out of service.
    "mailroom.service_lendableasset",
]

ROLE_PERMISSIONS = {
    Role.DESK: _DESK,
    # The broadcast room sees the found items it is asked to announce.
    Role.BROADCASTER: ["mailroom.view_founditem"],
    Role.SUPERVISOR: [
        *_DESK,
        "mailroom.add_lendableasset",
        "mailroom.change_lendableasset",
        "mailroom.dispose_founditem",
    ],
}
