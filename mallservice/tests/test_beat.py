"""Every beat entry goes through Celery's own path: the beat scheduler's
`apply_async`, which checks the task's arguments in the beat process before
anything reaches a worker (a task that needs an argument the schedule does
not pass is never run, and beat only logs it)."""

from __future__ import annotations

import pytest
from celery.beat import Scheduler

from mallservice.celery import app
from mallservice.jobs import daily_jobs

pytestmark = pytest.mark.django_db


def _scheduler() -> Scheduler:
    # The in-memory scheduler beat builds on; setup_schedule merges the
    # configured schedule (settings plus every app's schedule.py). Beat
    # imports the task modules first (autodiscovery), as here.
    app.loader.import_default_modules()
    scheduler = Scheduler(app=app, lazy=True)
    scheduler.setup_schedule()
    return scheduler


def test_the_schedule_holds_every_apps_entries():
    names = set(_scheduler().schedule)
    assert {"heartbeat", "daily-reports", "daily-jobs", "messages-dispatch"} <= names
    assert {"members-imports"} <= names
    assert {"mailroom-reminders", "broadcasts-dispatch", "rosters-off-post-flags"} <= names


@pytest.mark.parametrize("name", sorted(app.conf.beat_schedule))
def test_every_beat_entry_passes_celerys_argument_check_and_runs(name, mall):
    # given the schedule beat would load
    scheduler = _scheduler()
    entry = scheduler.schedule[name]
    assert entry.task in app.tasks, f"{name}: no task {entry.task}"
    # when beat sends it (the test settings run the task eagerly, after the
    # same argument check; a failure is raised, not just logged)
    scheduler.apply_async(entry, advance=False)
    # then it ran: nothing raised (SchedulingError names the entry)


@pytest.mark.parametrize("name", sorted(daily_jobs()))
def test_every_daily_job_passes_the_same_check_and_runs(name, mall):
    # The daily-jobs dispatcher calls these in its own worker; a person or a
    # test may still send one the way beat sends its entries.
    app.loader.import_default_modules()
    app.tasks[name].apply_async((), {})
