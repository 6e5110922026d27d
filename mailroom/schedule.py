BEAT_SCHEDULE = {
    # Reminders, escalations, the found-item retention clock and the outbox.
    "mailroom-dispatch": {"task": "mailroom.tasks.mailroom_dispatch", "schedule": 300.0},
}
