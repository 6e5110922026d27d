"""Beat entries: the dispatchers that claim due rows (plain data)."""

BEAT_SCHEDULE = {
    "broadcasts-dispatch": {"task": "broadcasts.tasks.dispatch", "schedule": 60.0},
}
