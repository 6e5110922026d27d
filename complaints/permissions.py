"""The complaints desk's permissions: views (`permission_required`),
services (`actor.has_perm(...)`), templates (`perms.complaints.<codename>`)
and the menu name these constants; roles only bundle them."""

from mallservice.roles import Role

VIEW_COMPLAINT = "complaints.view_complaint"
ADD_COMPLAINT = "complaints.add_complaint"
CHANGE_COMPLAINT = "complaints.change_complaint"
EXPORT_COMPLAINT = "complaints.export_complaint"
APPROVE_COMPENSATION = "complaints.approve_compensation"
VIEW_PHONECALL = "complaints.view_phonecall"
ADD_PHONECALL = "complaints.add_phonecall"
VIEW_SUMMARY = "complaints.view_summary"
# "Build now": today's summary before the beat builds it.
CHANGE_SUMMARY = "complaints.change_summary"
VIEW_FAULTREPORT = "complaints.view_faultreport"
ADD_FAULTREPORT = "complaints.add_faultreport"
CHANGE_FAULTREPORT = "complaints.change_faultreport"
# Re-routing a fault to another department.
ROUTE_FAULTREPORT = "complaints.route_faultreport"
VIEW_FAULTROUTE = "complaints.view_faultroute"
ADD_FAULTROUTE = "complaints.add_faultroute"
CHANGE_FAULTROUTE = "complaints.change_faultroute"

_WORK = [
    VIEW_COMPLAINT,
    ADD_COMPLAINT,
    CHANGE_COMPLAINT,
    VIEW_PHONECALL,
    ADD_PHONECALL,
    VIEW_SUMMARY,
    # 故障报修: the desk logs, records the fix on the handler's word, confirms
    # and closes; re-routing to another department is the supervisor's.
    VIEW_FAULTREPORT,
    ADD_FAULTREPORT,
    CHANGE_FAULTREPORT,
]

ROLE_PERMISSIONS = {
    Role.DESK: _WORK,
    Role.SUPERVISOR: [
        *_WORK,
        APPROVE_COMPENSATION,
        EXPORT_COMPLAINT,
        CHANGE_SUMMARY,
        ROUTE_FAULTREPORT,
        VIEW_FAULTROUTE,
        CHANGE_FAULTROUTE,
        ADD_FAULTROUTE,
    ],
}
