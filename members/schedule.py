from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The daily planner; idempotent, so a second beat or a rerun is harmless.
    "members-plan-calls": {
        "task": "members.tasks.plan_calls",
        "schedule": crontab(hour=7, minute=30),
    },
    # Points past their validity expire after midnight, before the desk opens.
    "members-expire-points": {
        "task": "members.tasks.expire_points",
        "schedule": crontab(hour=0, minute=30),
    },
    # Tier upgrades and yearly reviews, after the expiry and before the
    # planner, so that the day's calls see the day's tiers.
    "members-evaluate-tiers": {
        "task": "members.tasks.evaluate_tiers",
        "schedule": crontab(hour=1, minute=0),
    },
}
