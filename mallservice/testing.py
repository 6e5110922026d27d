"""Test helpers every app reuses.

The permission matrix: one parametrised test per app lists
role × URL × own mall / other mall → expected status, and
`check_permission_case` runs one row of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.test import Client

OWN = "own"
OTHER = "other"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class PermissionCase:
    """One row of a permission matrix.

    `url` receives the world dict (the fixture `permission_world`: malls,
    users and whatever the app's fixture adds) and the mall side, and returns
    the URL to request."""

    role: str
    url: Callable[[dict[str, Any], str], str]
    side: str
    expected: int
    method: str = "get"
    data: dict[str, Any] | None = None

    def __str__(self) -> str:
        return f"{self.role}-{self.side}-{self.method}-{self.expected}"


def check_permission_case(client: Client, world: dict[str, Any], case: PermissionCase) -> None:
    if case.role != ANONYMOUS:
        client.force_login(world["users"][case.role])
    url = case.url(world, case.side)
    response = getattr(client, case.method)(url, data=case.data or {})
    assert response.status_code == case.expected, (
        f"{case.role} {case.method.upper()} {url} ({case.side} mall): "
        f"expected {case.expected}, got {response.status_code}"
    )


def in_chinese(text: str) -> str:
    """The zh-hans translation of `text`, to find a figure by its label."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.gettext(text)


def dashboard_figures(client: Client, user: Any) -> dict[str, Any]:
    """Every figure of `user`'s dashboard, by label (as the page shows it)."""
    from django.urls import reverse

    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return {
        figure.label: figure
        for column in response.context["columns"]
        for panel in column["panels"]
        for figure in panel.figures
    }


@contextmanager
def celery_worker_process(*, queue: str, env: dict[str, str] | None = None) -> Iterator[Any]:
    """A real Celery worker in a subprocess, on the test database (commit
    what it must see: use a transactional test) and this process's Redis,
    consuming only `queue`. Yields the Popen; the worker is a single process
    (solo pool), so killing its pid kills the job it runs. Stopped at the end."""
    import os
    import signal
    import subprocess
    import sys
    import tempfile
    import time

    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or ''}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    child_env = {
        k: v
        for k, v in os.environ.items()
        # The browser fixture sets this for the test process only.
        if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    child_env |= {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **(env or {}),
    }
    log = Path(tempfile.mkdtemp()) / "worker.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mallservice",
                "worker",
                "--pool=solo",
                "--queues",
                queue,
                "--hostname",
                f"{queue}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "info",
            ],
            cwd=settings.BASE_DIR,
            env=child_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        # Ready when it logs that it listens; a worker that died says why.
        deadline = time.monotonic() + 40
        while b"ready." not in log.read_bytes():
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        process.log = log
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
