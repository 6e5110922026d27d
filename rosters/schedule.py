BEAT_SCHEDULE = {
    "rosters-off-post-flags": {
        "task": "rosters.tasks.off_post_dispatch",
        "schedule": 60.0,
    },
}
