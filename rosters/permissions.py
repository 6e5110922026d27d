"""Staff see and request; supervisors plan, approve and inspect; managers
get every permission (and so sign long leave) automatically."""

from mallservice.roles import Role

_STAFF = [
    "rosters.view_assignment",
    "rosters.add_swaprequest",
    "rosters.add_leaverequest",
    "rosters.add_clockevent",
    "rosters.add_offpostrecord",
    "rosters.view_handover",
    "rosters.add_handover",
    "rosters.add_supplyrequisition",
    "rosters.view_supplyrequisition",
    # 员工订餐: everyone on the roster orders their own meals.
    "rosters.add_mealorder",
    "rosters.add_mealchangerequest",
]
# The desk keeps the day's meal list and sends it to the canteen.
_MEAL_LIST = ["rosters.view_mealorder", "rosters.send_mealsheet"]

ROLE_PERMISSIONS = {
    Role.DESK: [*_STAFF, *_MEAL_LIST],
    Role.BROADCASTER: _STAFF,
    Role.SUPERVISOR: [
        *_STAFF,
        *_MEAL_LIST,
        "rosters.approve_mealchangerequest",
        "rosters.count_mealorder",
        "rosters.plan_week",
        "rosters.approve_swaprequest",
        "rosters.approve_leaverequest",
        "rosters.view_clockevent",
        "rosters.add_inspection",
        "rosters.view_inspection",
        "rosters.add_trainingsession",
        "rosters.view_trainingsession",
        "rosters.approve_supplyrequisition",
        "rosters.view_supplyallowance",
        "rosters.add_supplyallowance",
        "rosters.change_supplyallowance",
        "rosters.view_supplyitem",
        "rosters.add_supplyitem",
        "rosters.change_supplyitem",
    ],
}
