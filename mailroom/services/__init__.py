"""Every write of the mailroom. Views, tasks, demo data and tests call these.

One module per part of the desk: `parcels` (check-in, pick-up, return,
reminders), `notices` (parcel notices, sent by the shared outbox), `outgoing` (outgoing
mail and courier batches), `lost_found` (found items, lost-item reports,
claims, retention) and `lending` (lendable items and loans); `common`
holds the tracking-number and signature helpers they share.

Each function runs in one transaction, locks the rows whose state it changes
(`select_for_update`) and raises `ValidationError` with a code for the form
to show next to the field.

The mailroom's own code imports from the module that defines a service;
the names below are kept for the project's tests and scripts outside the
app (the double-submit, media and upload tests, the benchmark data, the
mailroom's test suite)."""

from mailroom.services.lending import (
    asset_create,
    asset_return_to_service,
    asset_take_out_of_service,
    loan_deposit_return,
    loan_lend,
    loan_return,
)
from mailroom.services.lost_found import (
    claim_log,
    claim_release,
    claim_verify,
    found_item_broadcast_request,
    found_item_dispose,
    found_item_log,
    found_retention_dispatch,
    lost_report_close,
    lost_report_log,
)
from mailroom.services.outgoing import outgoing_dispatch, outgoing_log
from mailroom.services.parcels import (
    parcel_pickup,
    parcel_receive,
    parcel_reminders_dispatch,
    parcel_return,
)

__all__ = [
    "asset_create",
    "asset_return_to_service",
    "asset_take_out_of_service",
    "claim_log",
    "claim_release",
    "claim_verify",
    "found_item_broadcast_request",
    "found_item_dispose",
    "found_item_log",
    "found_retention_dispatch",
    "loan_deposit_return",
    "loan_lend",
    "loan_return",
    "lost_report_close",
    "lost_report_log",
    "outgoing_dispatch",
    "outgoing_log",
    "parcel_pickup",
    "parcel_receive",
    "parcel_reminders_dispatch",
    "parcel_return",
]
