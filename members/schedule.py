from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The daily planner; idempotent, so a second beat or a rerun is harmless.
    "members-plan-calls": {
        "task": "members.tasks.plan_calls",
        "schedule": crontab(hour=7, minute=30),
    },
}
