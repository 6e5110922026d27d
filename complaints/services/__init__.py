"""Every write of the complaints desk. Views, admin, tasks and the demo call
these functions and nothing else saves a complaint.

One module per part of the desk's work: `desk` (configuration, defaults,
statuses), `intake`, `workflow` (assign, respond, status, verify, merge,
notes), `closing` (callback, close, reopen), `compensation`, `escalation`,
`phone_log` and `reports` (summaries; messages go through the shared
outbox, `mallservice.notifications`); `cases`
holds the case machinery complaints and fault reports share (clock, lock,
timeline event, reference numbers, location and attachment checks, the
safety alert). The SLA of a case is `complaints.sla.plan`.

Each workflow service locks the complaint (`select_for_update`), moves it with
`transition_to()`, saves with `update_fields` and records a timeline event in
the same transaction. Services take an optional `now` so SLA arithmetic is
testable at fixed times."""
