"""The Celery app. One worker pool, exactly one beat.

Tasks take primary keys and an explicit actor, call one service, and are
idempotent. A task whose worker dies is not left to the broker's redelivery:
its work is a database row (a due row, a JobRun) that a beat-driven
dispatcher claims again (see mallservice.jobs)."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task
from celery.signals import worker_init, worker_shutdown

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


def use_database_timeouts(timeouts: dict[str, int]) -> dict[str, str]:
    """Open every later database connection of this process with these
    PostgreSQL timeouts (milliseconds), overriding the settings' (a later
    `-c` in the connection options wins), and close the open ones. Returns
    the connection options it replaced."""
    from django.db import connections

    flags = " ".join(f"-c {name}={ms}" for name, ms in timeouts.items())
    previous: dict[str, str] = {}
    for alias in connections:
        options = connections.settings[alias].setdefault("OPTIONS", {})
        previous[alias] = options.get("options", "")
        options["options"] = f"{previous[alias]} {flags}".strip()
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
    return previous


_options_before_worker: dict[str, str] = {}


@worker_init.connect
def _worker_database_timeouts(sender: Any = None, **kwargs: Any) -> None:
    """A task may run and wait on a lock longer than a page (an import of
    100,000 members, a dispatcher waiting for a desk's row): workers use
    DB_WORKER_TIMEOUTS, set before the pool starts so every child has them."""
    if getattr(sender, "app", None) is not app or _options_before_worker:
        return
    from django.conf import settings

    _options_before_worker.update(use_database_timeouts(settings.DB_WORKER_TIMEOUTS))


def worker_database_timeouts_undo(**kwargs: Any) -> None:
    """Give the process its own timeouts back after a worker that ran inside
    it stopped (the tests' in-process workers; conftest connects this to
    their stop signal, which a cold stop sends instead of worker_shutdown)."""
    if not _options_before_worker:
        return
    from django.db import connections

    for alias, value in _options_before_worker.items():
        connections.settings[alias]["OPTIONS"]["options"] = value
    _options_before_worker.clear()
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


worker_shutdown.connect(worker_database_timeouts_undo)


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
