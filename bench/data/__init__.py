"""Benchmark data at realistic volume, made with set-based SQL.

`generate()` fills the bench database once: each part records itself in
`bench_meta`, so a second run reuses what is there. Apps add a module here
with `generate(cursor, ctx)` and list it in PARTS."""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.db import connection, transaction

from mallservice.audit import Source, actor_context
from mallservice.services import system_actor_id

PARTS = ["bench.data.core"]


def _done(cursor, part: str) -> bool:
    cursor.execute("SELECT 1 FROM bench_meta WHERE part = %s", [part])
    return cursor.fetchone() is not None


def generate(log=print) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_meta (part text PRIMARY KEY, seconds float, at timestamptz DEFAULT now())"
        )
        for part in PARTS:
            module = importlib.import_module(part)
            if _done(cursor, part):
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
                        "INSERT INTO bench_meta (part, seconds) VALUES (%s, %s)", [part, elapsed]
                    )
                cursor.execute("ANALYZE")
                log(f"data: {part} generated in {elapsed:.1f} s")
            ctx.update(module.context(cursor))
    return ctx
