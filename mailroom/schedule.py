BEAT_SCHEDULE = {
    # Reminders and escalations, the found-item retention clock.
    "mailroom-reminders": {
        "task": "mailroom.tasks.parcel_reminders_dispatch_task",
        "schedule": 300.0,
    },
    "mailroom-retention": {
        "task": "mailroom.tasks.found_retention_dispatch_task",
        "schedule": 3600.0,
    },
}
