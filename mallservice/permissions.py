"""What each role may do with the shared records (see mallservice.roles)."""

from mallservice.roles import Role

ROLE_PERMISSIONS = {
    Role.SUPERVISOR: [
        "mallservice.view_dailyreport",
        # "Build now": rebuild today's report before its time.
        "mallservice.change_dailyreport",
    ],
}
