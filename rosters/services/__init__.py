"""Every write of the rosters app, one module per sub-domain. Each function
is keyword-only, takes the acting user, runs in one transaction and locks
the rows whose state it changes; business rules raise `ValidationError`
with a code. Re-exported here: what other apps and their tests call."""

from rosters.services.attendance import (
    PIN_FAILURE_LIMIT,
    PIN_LOCK_SECONDS,
    clock_pin_set,
    clock_record,
    clock_record_by_pin,
)
from rosters.services.leave import leave_request_create
from rosters.services.roster import assignment_set, week_get_or_create, week_publish
from rosters.services.supplies import supply_allowance_set, supply_item_create

__all__ = [
    "PIN_FAILURE_LIMIT",
    "PIN_LOCK_SECONDS",
    "assignment_set",
    "clock_pin_set",
    "clock_record",
    "clock_record_by_pin",
    "leave_request_create",
    "supply_allowance_set",
    "supply_item_create",
    "week_get_or_create",
    "week_publish",
]
