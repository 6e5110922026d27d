"""The app under test as the benchmark sees it: Django set up on the bench
database, gunicorn serving it, logged-in sessions, and one HTTP request
timed from the client and read back from gunicorn's access log."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# BENCH_PORT: another port when several checkouts benchmark on one machine.
PORT = int(os.environ.get("BENCH_PORT", "8765"))
ACCESS_LOG = ROOT / "var" / "bench-access.log"


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ["DATABASE_URL"] = "postgres://root@127.0.0.1:5432/mallservice_bench"
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    import devenv  # the same database creation as `make run`

    devenv.ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


def session_cookie(username: str) -> str:
    """A logged-in session for `username`, made the way login makes it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from mallservice.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(24 * 3600)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class Server:
    def __init__(self, workers: int):
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        ACCESS_LOG.parent.mkdir(exist_ok=True)
        ACCESS_LOG.write_text("")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "mallservice.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "--access-logfile",
                str(ACCESS_LOG),
                "--access-logformat",
                '%(D)s %(s)s "%(r)s"',
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                status, _ = request("/healthz", "")
                if status in (200, 503):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def worker_rss_mb(self) -> float:
        import psutil

        parent = psutil.Process(self.process.pid)
        return max((c.memory_info().rss for c in parent.children()), default=0) / 2**20

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


# A CSRF secret sent both as cookie and header, as a browser's form post does.
CSRF_SECRET = "b" * 32
# Numbers unique to this run for `{n}` in POST forms (new tracking numbers, …).
RUN_PREFIX = time.strftime("%H%M%S")
_sequence = iter(range(1, 10**9))


def unique_form(page, ctx) -> str:
    n = f"{RUN_PREFIX}{next(_sequence):07d}"
    return urlencode({k: v.replace("{n}", n) for k, v in page.form(ctx).items()})


def request(
    path: str,
    cookie: str,
    method: str = "GET",
    body: str | None = None,
    extra_headers: dict[str, str] | None = None,
) -> tuple[int, float]:
    headers = {"Cookie": cookie, "Accept-Language": "zh-hans", **(extra_headers or {})}
    if method == "POST":
        headers["Cookie"] = f"{cookie}; csrftoken={CSRF_SECRET}"
        headers["X-CSRFToken"] = CSRF_SECRET
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, (time.perf_counter() - started) * 1000


def read_server_times(offset: int) -> tuple[list[float], int]:
    with ACCESS_LOG.open() as handle:
        handle.seek(offset)
        lines = handle.readlines()
        new_offset = handle.tell()
    return [int(line.split()[0]) / 1000 for line in lines if line.strip()], new_offset
