BEAT_SCHEDULE = {
    # Imports whose check or commit message was lost, or whose worker died.
    "members-imports": {"task": "members.tasks.imports_dispatch", "schedule": 60.0},
}

# Started once a day at the local time by mallservice's daily-jobs
# dispatcher (every minute), and again if the worker running one died.
DAILY_JOBS = {
    # Points past their validity expire after midnight, before the desk opens.
    "members.tasks.expire_points": {"at": "00:30"},
    # Tier upgrades and yearly reviews, after the expiry and before the
    # planner, so that the day's calls see the day's tiers.
    "members.tasks.evaluate_tiers": {"at": "01:00", "after": ["members.tasks.expire_points"]},
    # The daily VIP call planner.
    "members.tasks.plan_calls": {"at": "07:30", "after": ["members.tasks.evaluate_tiers"]},
}
