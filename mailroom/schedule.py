BEAT_SCHEDULE = {
    # Reminders and escalations, the found-item retention clock, the outbox.
    "mailroom-reminders": {
        "task": "mailroom.tasks.parcel_reminders_dispatch_task",
        "schedule": 300.0,
    },
    "mailroom-retention": {
        "task": "mailroom.tasks.found_retention_dispatch_task",
        "schedule": 3600.0,
    },
    "mailroom-outbox": {"task": "mailroom.tasks.outbox_dispatch_task", "schedule": 60.0},
}
