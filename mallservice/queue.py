"""Sending work to Celery without making the sender fail when Redis is away.

A message is only a nudge: the work it starts is already a PostgreSQL row
(an import in status "uploaded", a notice in the outbox) that a beat-driven
dispatcher picks up anyway. So when the broker cannot be reached, the request
that saved the row still succeeds: the send is logged and dropped, and the
dispatcher does the work when it next runs (issue 24). Every enqueue from a
service goes through `enqueue_on_commit`.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

BROKER_UNAVAILABLE = (KombuOperationalError, RedisConnectionError, RedisTimeoutError)
# One quick retry catches a pooled connection that Redis closed when it
# restarted; more would only keep the person at the counter waiting.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
# After a failed send, skip the broker for this long: during an outage every
# send would fail the same way, each after a connect timeout.
RETRY_AFTER_SECONDS = 5.0

_lock = threading.Lock()
_broker_down_until = 0.0


def _task(task: Task | str) -> Task:
    """A task, or its dotted name ("members.tasks.import_check"): a service
    names the task, so that it never imports its app's tasks module (which
    imports the services)."""
    if not isinstance(task, str):
        return task
    module, _dot, name = task.rpartition(".")
    return getattr(importlib.import_module(module), name)


def enqueue(task: Task | str, *args: Any, **kwargs: Any) -> bool:
    """Send `task(*args, **kwargs)` now; False (logged) if the broker is away.
    `task` is the task or its dotted name.

    Only for work that a dispatcher would also find in PostgreSQL: a False
    here means the work waits for that dispatcher."""
    global _broker_down_until
    task = _task(task)
    if time.monotonic() < _broker_down_until:
        logger.warning("Broker unavailable, not sending %s (a dispatcher will)", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except BROKER_UNAVAILABLE as exc:
        with _lock:
            _broker_down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("Broker unavailable, not sending %s (a dispatcher will): %s", task.name, exc)
        return False
    with _lock:
        _broker_down_until = 0.0
    return True


def enqueue_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """`enqueue` once the current transaction commits (at once outside one),
    so the worker finds the rows this transaction wrote."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
