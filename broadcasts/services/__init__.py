"""Every write of the broadcast room, one module per sub-domain. Each
function is keyword-only, takes the acting user and an optional `now`,
locks the rows whose state it changes and raises ValidationError with a
code on a broken business rule.

Re-exported here: the services other apps, the demo data, the tasks and
the tests call as `broadcasts.services.<name>`; the broadcast room's own
views import from the sub-modules."""

from broadcasts.services.announcements import (
    announcement_air,
    announcement_approve,
    announcement_cancel,
    announcement_reject,
    announcement_request,
)
from broadcasts.services.missing import (
    missing_case_open,
    missing_case_police_called,
    missing_case_resolve,
    missing_case_watch_exit,
    missing_police_prompt_dispatch,
)
from broadcasts.services.routine import (
    routine_airings_ensure,
    routine_missed_flag,
    routine_slot_save,
)
from broadcasts.services.screen_edits import (
    screen_message_edit,
    screen_message_edit_approve,
    screen_message_edit_reject,
)
from broadcasts.services.screen_messages import (
    screen_message_approve,
    screen_message_submit,
    screen_message_withdraw,
)
from broadcasts.services.screens import screen_live_log_refresh, screen_save, screen_token_rotate
from broadcasts.services.scripts import script_template_save

__all__ = [
    "announcement_air",
    "announcement_approve",
    "announcement_cancel",
    "announcement_reject",
    "announcement_request",
    "missing_case_open",
    "missing_case_police_called",
    "missing_case_resolve",
    "missing_case_watch_exit",
    "missing_police_prompt_dispatch",
    "routine_airings_ensure",
    "routine_missed_flag",
    "routine_slot_save",
    "screen_live_log_refresh",
    "screen_message_approve",
    "screen_message_edit",
    "screen_message_edit_approve",
    "screen_message_edit_reject",
    "screen_message_submit",
    "screen_message_withdraw",
    "screen_save",
    "screen_token_rotate",
    "script_template_save",
]
