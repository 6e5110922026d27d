"""Staff see and request; supervisors plan, approve and inspect; managers
get every permission (and so sign long leave) automatically. Views,
services, templates and menus name these constants; roles only bundle them."""

from mallservice.roles import Role

VIEW_ASSIGNMENT = "rosters.view_assignment"
PLAN_WEEK = "rosters.plan_week"
ADD_SWAPREQUEST = "rosters.add_swaprequest"
APPROVE_SWAPREQUEST = "rosters.approve_swaprequest"
ADD_LEAVEREQUEST = "rosters.add_leaverequest"
APPROVE_LEAVEREQUEST = "rosters.approve_leaverequest"
# The second signature on long leave: managers (every non-delete permission).
APPROVE_LEAVEREQUEST_AS_MANAGER = "rosters.approve_leaverequest_as_manager"
ADD_CLOCKEVENT = "rosters.add_clockevent"
VIEW_CLOCKEVENT = "rosters.view_clockevent"
# Setting a colleague's clock-in PIN.
CHANGE_CLOCKPIN = "rosters.change_clockpin"
ADD_OFFPOSTRECORD = "rosters.add_offpostrecord"
# Everyone's off-post records, the flags, and marking someone back on post.
VIEW_OFFPOSTRECORD = "rosters.view_offpostrecord"
CHANGE_OFFPOSTRECORD = "rosters.change_offpostrecord"
ADD_INSPECTION = "rosters.add_inspection"
VIEW_INSPECTION = "rosters.view_inspection"
ADD_TRAININGSESSION = "rosters.add_trainingsession"
VIEW_TRAININGSESSION = "rosters.view_trainingsession"
VIEW_HANDOVER = "rosters.view_handover"
ADD_HANDOVER = "rosters.add_handover"
ADD_SUPPLYREQUISITION = "rosters.add_supplyrequisition"
VIEW_SUPPLYREQUISITION = "rosters.view_supplyrequisition"
APPROVE_SUPPLYREQUISITION = "rosters.approve_supplyrequisition"
VIEW_SUPPLYALLOWANCE = "rosters.view_supplyallowance"
ADD_SUPPLYALLOWANCE = "rosters.add_supplyallowance"
CHANGE_SUPPLYALLOWANCE = "rosters.change_supplyallowance"
VIEW_SUPPLYITEM = "rosters.view_supplyitem"
ADD_SUPPLYITEM = "rosters.add_supplyitem"
CHANGE_SUPPLYITEM = "rosters.change_supplyitem"
# 员工订餐
ADD_MEALORDER = "rosters.add_mealorder"
VIEW_MEALORDER = "rosters.view_mealorder"
COUNT_MEALORDER = "rosters.count_mealorder"
ADD_MEALCHANGEREQUEST = "rosters.add_mealchangerequest"
APPROVE_MEALCHANGEREQUEST = "rosters.approve_mealchangerequest"
SEND_MEALSHEET = "rosters.send_mealsheet"
# 查岗: recording a spot check, and reading every check of one's malls.
ADD_SPOTCHECK = "rosters.add_spotcheck"
VIEW_SPOTCHECK = "rosters.view_spotcheck"
# 离岗未报: everyone explains their own; supervisors see all and decide.
EXPLAIN_UNDECLAREDABSENCE = "rosters.explain_undeclaredabsence"
REVIEW_UNDECLAREDABSENCE = "rosters.review_undeclaredabsence"
# PIN punches from a device or address not seen lately, reviewed weekly.
REVIEW_CLOCKFLAG = "rosters.review_clockflag"

_STAFF = [
    VIEW_ASSIGNMENT,
    ADD_SWAPREQUEST,
    ADD_LEAVEREQUEST,
    ADD_CLOCKEVENT,
    ADD_OFFPOSTRECORD,
    VIEW_HANDOVER,
    ADD_HANDOVER,
    ADD_SUPPLYREQUISITION,
    VIEW_SUPPLYREQUISITION,
    # 员工订餐: everyone on the roster orders their own meals.
    ADD_MEALORDER,
    ADD_MEALCHANGEREQUEST,
    EXPLAIN_UNDECLAREDABSENCE,
]
# The desk keeps the day's meal list and sends it to the canteen.
_MEAL_LIST = [VIEW_MEALORDER, SEND_MEALSHEET]

ROLE_PERMISSIONS = {
    Role.DESK: [*_STAFF, *_MEAL_LIST],
    Role.BROADCASTER: _STAFF,
    Role.SUPERVISOR: [
        *_STAFF,
        *_MEAL_LIST,
        APPROVE_MEALCHANGEREQUEST,
        COUNT_MEALORDER,
        PLAN_WEEK,
        APPROVE_SWAPREQUEST,
        APPROVE_LEAVEREQUEST,
        VIEW_CLOCKEVENT,
        CHANGE_CLOCKPIN,
        VIEW_OFFPOSTRECORD,
        CHANGE_OFFPOSTRECORD,
        ADD_INSPECTION,
        VIEW_INSPECTION,
        ADD_TRAININGSESSION,
        VIEW_TRAININGSESSION,
        APPROVE_SUPPLYREQUISITION,
        VIEW_SUPPLYALLOWANCE,
        ADD_SUPPLYALLOWANCE,
        CHANGE_SUPPLYALLOWANCE,
        VIEW_SUPPLYITEM,
        ADD_SUPPLYITEM,
        CHANGE_SUPPLYITEM,
        ADD_SPOTCHECK,
        VIEW_SPOTCHECK,
        REVIEW_UNDECLAREDABSENCE,
        REVIEW_CLOCKFLAG,
    ],
}
