"""Benchmark data at realistic volume, made with set-based SQL.

Each module of this package is a part (`core`, then one per app) with
`generate(cursor)` and `context(cursor) -> dict`, and optionally the
`SCENARIOS` and `TASKS` that measure it (see `bench.scenarios`). Parts run in
ORDER; each records itself and the scale it was made at in `bench_meta`, so a
second run reuses what is there.

Volumes are the full ones of issue 9 times BENCH_SCALE (`scaled(n)`);
`BENCH_SCALE=0.02` gives a small database for development. BENCH_PARTS
(comma-separated, e.g. `core,desk,desk_registers`) makes and measures only
those parts: one app's pages without a day of generating the others."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from django.db import connection, models, transaction

from mallservice.audit import Source, actor_context
from mallservice.services import system_actor_id

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
# Parts that others refer to come first (complaints link to members, …).
ORDER = ["core", "rosters", "members", "complaints", "broadcasts", "mailroom"]


def scaled(n: int) -> int:
    return max(1, round(n * SCALE))


def parts() -> list[ModuleType]:
    names = [m.name for m in pkgutil.iter_modules(__path__)]
    chosen = os.environ.get("BENCH_PARTS", "")
    if chosen:
        names = [n for n in names if n in {c.strip() for c in chosen.split(",")}]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


@contextlib.contextmanager
def triggers_off(cursor) -> Iterator[None]:
    """Bulk SQL without per-row triggers (audit, foreign-key checks): the part
    then writes the history its rows imply with `write_history`."""
    cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        cursor.execute("SET LOCAL session_replication_role = origin")


def write_history(
    cursor, model: type[models.Model], *, where: str = "", created_at: str = "now()"
) -> None:
    """One 'insert' history row per row of `model` matching `where` (SQL on
    the model's table, alias `t`), stamped `created_at` (an SQL expression
    over `t`) and attributed to the system actor from the bench command — what
    pghistory's triggers would have written."""
    from django.apps import apps

    event = next(
        m
        for m in apps.get_models()
        if getattr(m, "pgh_tracked_model", None) is model and m.__name__.endswith("Event")
    )
    own = [f.column for f in event._meta.fields if not f.column.startswith("pgh_")]
    context = json.dumps({"user": system_actor_id(), "source": Source.COMMAND.value})
    cursor.execute(
        f"INSERT INTO {event._meta.db_table} "
        f"(pgh_created_at, pgh_label, pgh_obj_id, pgh_context, {', '.join(own)}) "
        f"SELECT {created_at}, 'insert', t.{model._meta.pk.column}, %s::jsonb, "
        f"{', '.join('t.' + c for c in own)} FROM {model._meta.db_table} t "
        f"{'WHERE ' + where if where else ''}",
        [context],
    )


def _recorded_scale(cursor, part: str) -> float | None:
    cursor.execute("SELECT scale FROM bench_meta WHERE part = %s", [part])
    row = cursor.fetchone()
    return None if row is None else row[0]


def generate(log=print) -> dict[str, Any]:
    ctx: dict[str, Any] = {"scale": SCALE}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_meta (part text PRIMARY KEY, seconds float, "
            "scale float NOT NULL DEFAULT 1, at timestamptz DEFAULT now())"
        )
        for module in parts():
            part = module.__name__
            recorded = _recorded_scale(cursor, part)
            if recorded is not None and recorded != SCALE:
                raise SystemExit(
                    f"{part} was generated at BENCH_SCALE={recorded}, not {SCALE}: "
                    "use that scale, another BENCH_DATABASE_URL, or drop the database"
                )
            if recorded is not None:
                log(f"data: {part} present, reused")
            else:
                started = time.perf_counter()
                with (
                    actor_context(
                        actor_id=system_actor_id(), source=Source.COMMAND, command="bench"
                    ),
                    transaction.atomic(),
                ):
                    module.generate(cursor)
                    elapsed = time.perf_counter() - started
                    cursor.execute(
                        "INSERT INTO bench_meta (part, seconds, scale) VALUES (%s, %s, %s)",
                        [part, elapsed, SCALE],
                    )
                # A mall's database of three years has been vacuumed long
                # since: its visibility map lets index-only scans skip the heap.
                # (The suite's smoke test runs in a transaction: statistics only.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
                log(f"data: {part} generated in {elapsed:.1f} s (scale {SCALE})")
            ctx.update(module.context(cursor))
    return ctx
