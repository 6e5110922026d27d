BEAT_SCHEDULE = {
    "complaints-escalations": {
        "task": "complaints.tasks.escalations_dispatch_task",
        "schedule": 60.0,
    },
    "complaints-summaries": {
        "task": "complaints.tasks.summaries_dispatch_task",
        "schedule": 300.0,
    },
}
