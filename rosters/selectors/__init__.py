"""Reads of the rosters app, scoped to the requesting user's malls, one
module per sub-domain. Re-exported here: what other apps import."""

from rosters.selectors.roster import staff_on_shift, staff_on_shift_on

__all__ = ["staff_on_shift", "staff_on_shift_on"]
