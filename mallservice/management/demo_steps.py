"""Run the apps' demo hooks (`<app>/demo.py`), one after another or in
parallel processes, each step timed and its SQL statements counted.

A demo module may define `prepare(*, malls, now)`: what other apps' demos
read (the members' tiers, which complainants name). It runs with the
shared base (malls, shops, staff), before any app's `seed`, so the steps
read nothing of each other and may run in any order or at once.

Each app's `seed` gets its own random generator, seeded from the command's
seed and the app's label, so the data is the same whichever way it runs.
In parallel each process runs whole app steps, each in a transaction of
its own, once the base is committed. The processes are forked from the
command, so they carry its audit context: every row's history names the
same actor, source and command as in a sequential run."""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.db import connection, connections, transaction

from mallservice.hooks import app_hook_modules


@dataclass(frozen=True)
class StepResult:
    seconds: float
    statements: int


class StatementCounter:
    """A `connection.execute_wrapper` counting the statements sent."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counted() -> Iterator[list[StepResult]]:
    """Time the block and count its statements; the result is appended to
    the yielded list when the block ends."""
    result: list[StepResult] = []
    counter = StatementCounter()
    started = time.monotonic()
    with connection.execute_wrapper(counter):
        yield result
    result.append(StepResult(time.monotonic() - started, counter.count))


def demo_modules() -> dict[str, ModuleType]:
    """The apps' demo modules by app label, in PROJECT_APPS order."""
    return {module.__name__.split(".")[0]: module for module in app_hook_modules("demo")}


def app_rng(seed: int, label: str) -> random.Random:
    return random.Random(f"{seed}:{label}")


def _seed_app(label: str, seed: int, load: Callable[[], dict[str, Any]]) -> StepResult:
    module = demo_modules()[label]
    with counted() as result, transaction.atomic():
        module.seed(**load(), rng=app_rng(seed, label))
    return result[0]


def run_in_order(
    labels: list[str], *, seed: int, load: Callable[[], dict[str, Any]], report: Callable
) -> None:
    for label in labels:
        report(label, None)
        report(label, _seed_app(label, seed, load))


# The forked processes find the step's arguments here (a loader is a closure:
# it is not sent to them, they inherit it).
_LOAD: Callable[[], dict[str, Any]] | None = None


def _seed_app_in_process(label: str, seed: int) -> StepResult:
    assert _LOAD is not None
    return _seed_app(label, seed, _LOAD)


def prepare_all(*, malls: list[Any], now: Any) -> None:
    for module in demo_modules().values():
        if hasattr(module, "prepare"):
            module.prepare(malls=malls, now=now)


def run_in_parallel(
    labels: list[str],
    *,
    seed: int,
    load: Callable[[], dict[str, Any]],
    report: Callable,
    jobs: int,
) -> None:
    """Run the steps in `jobs` forked processes, in the order given;
    `report(label, None)` as one starts and `report(label, result)` once it
    is committed. The base must be committed: the processes each open
    their own connection."""
    global _LOAD
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("the demo base must be committed before the parallel steps")
    connections.close_all()  # each process opens its own
    _LOAD = load
    pending = list(labels)
    running: dict[Future, str] = {}
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            while pending or running:
                while pending and len(running) < jobs:
                    label = pending.pop(0)
                    report(label, None)
                    running[pool.submit(_seed_app_in_process, label, seed)] = label
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    report(running.pop(future), future.result())  # raises the step's error
    finally:
        _LOAD = None
