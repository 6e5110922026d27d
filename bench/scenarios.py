"""What the benchmark measures. Each app adds its hot paths to SCENARIOS
(pages) or TASKS (background work), with the target from its issue.

A page scenario's `path` receives the data context returned by
`bench.data.generate` (ids of realistic records) and returns a URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Page:
    name: str
    path: Callable[[dict[str, Any]], str]
    target_p95_ms: float | None = None
    # Share of a real desk's requests, for the mixed workload (0 = not in it).
    desk_share: float = 0.0
    user: str = "bench-desk"
    notes: str = ""


@dataclass(frozen=True)
class Task:
    name: str
    run: Callable[[dict[str, Any]], dict[str, float]]
    target_seconds: float | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# Ceiling baselines, measured in the same run under the same gunicorn.
PLAINTEXT = Page("ceiling: plaintext view", lambda ctx: "/bench/plaintext/")
ONE_QUERY = Page("ceiling: one-query view (B2)", lambda ctx: "/bench/db/")

SCENARIOS: list[Page] = [
    Page("home page", lambda ctx: "/", desk_share=0.10),
    Page(
        "history panel of a shop",
        lambda ctx: f"/history/mallservice/unit/{ctx['unit_id']}/",
        user="bench-supervisor",
        desk_share=0.02,
    ),
]

TASKS: list[Task] = []
