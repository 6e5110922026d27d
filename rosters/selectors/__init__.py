"""Reads of the rosters app, scoped to the requesting user's malls, one
module per sub-domain (`rosters.selectors.<sub-domain>`)."""
