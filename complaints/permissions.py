from mallservice.roles import Role

_WORK = [
    "complaints.view_complaint",
    "complaints.add_complaint",
    "complaints.change_complaint",
    "complaints.view_phonecall",
    "complaints.add_phonecall",
    "complaints.view_summary",
    # 故障报修: the desk logs, records the fix on the handler's word, confirms
    # and closes; re-routing to another department is the supervisor's.
    "complaints.view_faultreport",
    "complaints.add_faultreport",
    "complaints.change_faultreport",
]

ROLE_PERMISSIONS = {
    Role.DESK: _WORK,
    Role.SUPERVISOR: [
        *_WORK,
        "complaints.approve_compensation",
        "complaints.export_complaint",
        "complaints.change_summary",
        "complaints.route_faultreport",
        "complaints.view_faultroute",
        "complaints.change_faultroute",
        "complaints.add_faultroute",
    ],
}
