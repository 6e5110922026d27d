"""The Celery app. One worker pool, exactly one beat.

Tasks take primary keys and an explicit actor, call one service, and are
idempotent: with acks_late a task whose worker dies is delivered again."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task
from celery.signals import worker_init

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


def use_database_timeouts(timeouts: dict[str, int]) -> None:
    """Open every later database connection of this process with these
    PostgreSQL timeouts (milliseconds), overriding the settings' (a later
    `-c` in the connection options wins), and close the open ones."""
    from django.db import connections

    flags = " ".join(f"-c {name}={ms}" for name, ms in timeouts.items())
    for connection in connections.all(initialized_only=True):
        connection.close()
    for alias in connections:
        options = connections.settings[alias].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} {flags}".strip()


@worker_init.connect
def _worker_database_timeouts(sender: Any = None, **kwargs: Any) -> None:
    """A task may run and wait on a lock longer than a page (an import of
    100,000 members, a dispatcher waiting for a desk's row): workers use
    DB_WORKER_TIMEOUTS, set before the pool starts so every child has them."""
    if getattr(sender, "app", None) is not app:
        return
    from django.conf import settings

    use_database_timeouts(settings.DB_WORKER_TIMEOUTS)


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
