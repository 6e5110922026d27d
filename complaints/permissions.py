from mallservice.roles import Role

_WORK = [
    "complaints.view_complaint",
    "complaints.add_complaint",
    "complaints.change_complaint",
    "complaints.view_phonecall",
    "complaints.add_phonecall",
    "complaints.view_summary",
]

ROLE_PERMISSIONS = {
    Role.DESK: _WORK,
    Role.SUPERVISOR: [
        *_WORK,
        "complaints.approve_compensation",
        "complaints.export_complaint",
        "complaints.change_summary",
    ],
}
