"""The Celery app. One worker pool, exactly one beat.

Tasks take primary keys and an explicit actor, call one service, and are
idempotent. A task whose worker dies is not left to the broker's redelivery:
its work is a database row (a due row, a JobRun) that a beat-driven
dispatcher claims again (see mallservice.jobs)."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mallservice.settings")

app = Celery("mallservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _collect_beat_schedules(sender: Celery, **kwargs: Any) -> None:
    """Each app declares its periodic entries as BEAT_SCHEDULE in
    `<app>/schedule.py` (plain data, no model imports)."""
    from mallservice.hooks import app_hook_modules

    schedule = dict(sender.conf.beat_schedule or {})
    for module in app_hook_modules("schedule"):
        schedule.update(module.BEAT_SCHEDULE)
    sender.conf.beat_schedule = schedule


class AuditedTask(Task):
    """Runs the task body inside an audit context naming its actor.

    Every task built on this base takes `actor_id` (a user id, or the system
    actor's for scheduled work); history rows written by the task carry it
    with source "celery" and the task name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from mallservice.audit import Source, actor_context

        actor_id = kwargs.get("actor_id")
        with actor_context(actor_id=actor_id, source=Source.CELERY, task=self.name):
            return super().__call__(*args, **kwargs)


class ScheduledTask(AuditedTask):
    """An AuditedTask that beat sends without an actor: the schedule is plain
    data and cannot know the system actor's id, so the named system actor is
    filled in here. Tasks started by a person still pass their `actor_id`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("actor_id"):
            from mallservice.services import system_actor_id

            kwargs["actor_id"] = system_actor_id()
        return super().__call__(*args, **kwargs)
