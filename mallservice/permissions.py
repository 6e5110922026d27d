"""The kernel's permissions, and what each role may do with the shared
records. Permissions are the one authorization vocabulary: views
(`permission_required`), services (`actor.has_perm(...)`), templates
(`perms.mallservice.view_dashboard`) and menus (`MenuEntry(permission=...)`)
name one of these constants; roles only bundle them (`mallservice.roles`)."""

from mallservice.roles import Role

VIEW_DASHBOARD = "mallservice.view_dashboard"
VIEW_HISTORY = "mallservice.view_history"
RENAME_STAFF = "mallservice.rename_staff"
# The health check's detail (which dependency failed): managers.
VIEW_HEALTH = "mallservice.view_heartbeat"
VIEW_DAILY_REPORT = "mallservice.view_dailyreport"
# "Build now": rebuild today's report before its time.
BUILD_DAILY_REPORT = "mallservice.change_dailyreport"
# The working calendar: supervisors read it; managers enter a year's
# holiday table and a mall's days of other hours (managers get every
# non-delete permission).
VIEW_CALENDAR = "mallservice.view_calendaryear"
ENTER_CALENDAR_YEAR = "mallservice.change_calendaryear"
CHANGE_MALL_DAY_HOURS = "mallservice.change_malldayhours"

# The outbox: failed messages and the console channel; sending one again.
VIEW_MESSAGE = "mallservice.view_message"
RESEND_MESSAGE = "mallservice.change_message"

ROLE_PERMISSIONS = {
    Role.SUPERVISOR: [
        VIEW_DASHBOARD,
        VIEW_HISTORY,
        RENAME_STAFF,
        VIEW_DAILY_REPORT,
        BUILD_DAILY_REPORT,
        VIEW_CALENDAR,
        VIEW_MESSAGE,
        RESEND_MESSAGE,
    ],
}
