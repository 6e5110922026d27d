"""The desk registers' permissions: views (`permission_required`), services
(`actor.has_perm(...)`), templates (`perms.desk.<codename>`) and the menu
name these constants; roles only bundle them."""

from mallservice.roles import Role

VIEW_INCIDENT = "desk.view_incident"
ADD_INCIDENT = "desk.add_incident"
# A follow-up step on an incident.
ADD_INCIDENTFOLLOWUP = "desk.add_incidentfollowup"
# 结案 is the supervisor's decision.
CLOSE_INCIDENT = "desk.close_incident"
ADD_WALKINSERVICE = "desk.add_walkinservice"
# The desk's load by hour is the supervisor's page.
VIEW_WALKINSERVICE = "desk.view_walkinservice"

VIEW_RELEASEPASS = "desk.view_releasepass"
ADD_RELEASEPASS = "desk.add_releasepass"
# The desk approves or refuses a shop's pass (the management office's stamp).
DECIDE_RELEASEPASS = "desk.decide_releasepass"
# Security at the exit: the check page and "used" (security use a desk account).
USE_RELEASEPASS = "desk.use_releasepass"

VIEW_RETURNCASE = "desk.view_returncase"
ADD_RETURNCASE = "desk.add_returncase"
# The shop's answer and the desk's mediation notes.
ADD_RETURNSTEP = "desk.add_returnstep"
# The outcome, as the shop contact confirmed it.
SETTLE_RETURNCASE = "desk.settle_returncase"

VIEW_FOOTAGEREVIEW = "desk.view_footagereview"
ADD_FOOTAGEREVIEW = "desk.add_footagereview"
# 调阅监控须客服中心同意: the approval is a supervisor's.
DECIDE_FOOTAGEREVIEW = "desk.decide_footagereview"
# The desk shows the approved footage and records who watched it.
RECORD_FOOTAGEVIEWING = "desk.record_footageviewing"
# A copy leaves the mall only for the police, released by a supervisor.
RELEASE_FOOTAGECOPY = "desk.release_footagecopy"

VIEW_INVOICEREQUEST = "desk.view_invoicerequest"
ADD_INVOICEREQUEST = "desk.add_invoicerequest"
# The finance contact's queue: issue, e-mail or refuse (发票开具).
ISSUE_INVOICEREQUEST = "desk.issue_invoicerequest"

VIEW_PARKINGVALIDATION = "desk.view_parkingvalidation"
ADD_PARKINGVALIDATION = "desk.add_parkingvalidation"

VIEW_GROUPPURCHASE = "desk.view_grouppurchase"
ADD_GROUPPURCHASE = "desk.add_grouppurchase"
# Quotes and handing the order to marketing are the desk's.
CHANGE_GROUPPURCHASE = "desk.change_grouppurchase"
# Marketing's: delivery and payment confirmed, the monthly list.
HANDLE_GROUPPURCHASE = "desk.handle_grouppurchase"

DESK = [
    VIEW_INCIDENT,
    ADD_INCIDENT,
    ADD_INCIDENTFOLLOWUP,
    ADD_WALKINSERVICE,
    VIEW_RELEASEPASS,
    ADD_RELEASEPASS,
    DECIDE_RELEASEPASS,
    USE_RELEASEPASS,
    VIEW_RETURNCASE,
    ADD_RETURNCASE,
    ADD_RETURNSTEP,
    SETTLE_RETURNCASE,
    VIEW_FOOTAGEREVIEW,
    ADD_FOOTAGEREVIEW,
    RECORD_FOOTAGEVIEWING,
    VIEW_INVOICEREQUEST,
    ADD_INVOICEREQUEST,
    VIEW_PARKINGVALIDATION,
    ADD_PARKINGVALIDATION,
    VIEW_GROUPPURCHASE,
    ADD_GROUPPURCHASE,
    CHANGE_GROUPPURCHASE,
]

ROLE_PERMISSIONS = {
    Role.DESK: DESK,
    # No finance or marketing role yet: the supervisor works those queues
    # (managers hold every permission); a role added later bundles them.
    Role.SUPERVISOR: [
        *DESK,
        CLOSE_INCIDENT,
        VIEW_WALKINSERVICE,
        DECIDE_FOOTAGEREVIEW,
        RELEASE_FOOTAGECOPY,
        ISSUE_INVOICEREQUEST,
        HANDLE_GROUPPURCHASE,
    ],
}
