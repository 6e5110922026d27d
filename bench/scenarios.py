"""What the benchmark measures. Each part of `bench.data` declares its hot
paths as `SCENARIOS` (pages) and `TASKS` (background work), with the target
from its issue.

A page's `path` receives the data context returned by `bench.data.generate`
(ids of realistic records) and returns a URL. A POST page also has `form`,
returning the fields to send; the text `{n}` in a value is replaced by a
number unique to each request (a new tracking number per check-in, …)."""

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
    user: str | None = "bench-desk"  # None: no login (the screen player)
    form: Callable[[dict[str, Any]], dict[str, str]] | None = None
    notes: str = ""
    # Sent with every request, as the page's own script sends them (HTMX).
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def method(self) -> str:
        return "GET" if self.form is None else "POST"


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


def pages() -> list[Page]:
    from bench import data

    return [page for part in data.parts() for page in getattr(part, "SCENARIOS", [])]


def tasks() -> list[Task]:
    from bench import data

    return [task for part in data.parts() for task in getattr(part, "TASKS", [])]
