"""Run the benchmark: `make bench` (or `python -m bench.run`).

1. Bench database (`mallservice_bench`, or BENCH_DATABASE_URL): migrated and
   filled once by `bench.data` (reused when present).
2. The app served as deployed: gunicorn, sync workers, DEBUG off, persistent
   connections (`bench.settings`), on 127.0.0.1:8765.
3. For every page scenario, against a session of a realistic user:
   - latency: sequential single requests after warm-up, `--reps` repetitions,
     client-side over loopback and server-side from gunicorn's access log;
   - throughput: wrk -t2 -c8, `--reps` runs, median;
   - B0, the database floor: the page's own SQL (captured in-process) replayed
     through raw psycopg2 on one connection;
   - query count of the page.
   Baselines in the same run: a plaintext view and a one-primary-key-query
   view (B2) under the same gunicorn and middleware.
4. Background tasks (`TASKS`) timed in-process.
5. Results: bench/results.json (one entry per scenario) and bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlencode

from bench.server import (
    ACCESS_LOG,
    CSRF_SECRET,
    HERE,
    PORT,
    RUN_PREFIX,
    Server,
    log,
    percentile,
    read_server_times,
    request,
    session_cookie,
    setup_django,
    unique_form,
)


def latency(page, ctx, cookie: str, n: int, warmup: int) -> dict[str, Any]:
    path = page.path(ctx)

    def one() -> tuple[int, float]:
        body = unique_form(page, ctx) if page.form else None
        return request(path, cookie, page.method, body, page.headers)

    for _ in range(warmup):
        one()
    _, offset = read_server_times(0)
    client, statuses = [], set()
    for _ in range(n):
        status, ms = one()
        client.append(ms)
        statuses.add(status)
    server, _ = read_server_times(offset)
    return {"client": client, "server": server[-n:], "statuses": sorted(statuses)}


# wrk script for POST pages: each request gets its own `{n}`.
POST_LUA = """
local counter, threads = 0, 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function request()
  counter = counter + 1
  local n = string.format("%s%d%06d", prefix, tid, counter)
  return wrk.format("POST", nil, headers, (string.gsub(template, "{n}", n)))
end
"""


def throughput(page, ctx, cookie: str, seconds: int) -> float | None:
    if shutil.which("wrk") is None:
        return None
    extra: list[str] = []
    if page.form:
        script = ACCESS_LOG.parent / "bench-post.lua"
        template = urlencode(page.form(ctx))
        script.write_text(
            f"prefix = {json.dumps('w' + RUN_PREFIX)}\n"
            f"template = {json.dumps(template)}\n"
            f'wrk.headers["Cookie"] = {json.dumps(f"{cookie}; csrftoken={CSRF_SECRET}")}\n'
            f'wrk.headers["X-CSRFToken"] = "{CSRF_SECRET}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            + "".join(
                f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n" for k, v in page.headers.items()
            )
            + "headers = wrk.headers\n"
            + POST_LUA
        )
        extra = ["-s", str(script)]
    else:
        extra = ["-H", f"Cookie: {cookie}"]
        for name, value in page.headers.items():
            extra += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c8",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            *extra,
            f"http://127.0.0.1:{PORT}{page.path(ctx)}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else None


def captured_sql(page, ctx) -> list[str]:
    """The SQL the page runs, captured in-process with Django's test client."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mallservice.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if page.user:
        client.force_login(User.objects.get(username=page.user))
    path = page.path(ctx)

    def one() -> None:
        if page.form:
            client.post(
                path,
                unique_form(page, ctx),
                "application/x-www-form-urlencoded",
                headers=page.headers,
            )
        else:
            client.get(path, headers=page.headers)

    one()  # warm caches the way a warmed-up worker has them
    # Rolled back, so that B0 can replay a POST's writes.
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        one()
        transaction.set_rollback(True)
    return [q["sql"] for q in queries.captured_queries]


def raw_floor_ms(statements: list[str], reps: int = 20) -> float:
    """B0: the same SQL through raw psycopg2 on one connection (median), each
    repetition in a transaction rolled back, so writes can be replayed."""
    import psycopg2
    from django.db import connection

    params = connection.get_connection_params()
    conn = psycopg2.connect(**params)
    timings = []
    with conn.cursor() as cursor:
        for _ in range(reps + 2):
            started = time.perf_counter()
            for sql in statements:
                if sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                    continue
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
            conn.rollback()
    conn.close()
    return statistics.median(timings[2:])


def summarise(runs: list[dict[str, Any]], key: str) -> dict[str, float]:
    p50s = [statistics.median(r[key]) for r in runs if r[key]]
    p95s = [percentile(r[key], 95) for r in runs if r[key]]
    if not p50s:
        return {}
    return {
        "p50_ms": round(statistics.median(p50s), 2),
        "p95_ms": round(statistics.median(p95s), 2),
        "p95_spread_ms": [round(min(p95s), 2), round(max(p95s), 2)],
    }


def measure_page(page, ctx, server, args, cookies) -> dict[str, Any]:
    # A page with no user (the screen player) is requested without a session.
    cookie = cookies.setdefault(page.user, session_cookie(page.user)) if page.user else ""
    runs = [latency(page, ctx, cookie, args.requests, args.warmup) for _ in range(args.reps)]
    rps_runs = [throughput(page, ctx, cookie, args.seconds) for _ in range(args.reps)]
    rps_runs = [r for r in rps_runs if r is not None]
    sql = captured_sql(page, ctx)
    entry: dict[str, Any] = {
        "scenario": page.name,
        "method": page.method,
        "path": page.path(ctx),
        "statuses": sorted({s for r in runs for s in r["statuses"]}),
        **{f"client_{k}": v for k, v in summarise(runs, "client").items()},
        **summarise(runs, "server"),
        "rps": round(statistics.median(rps_runs), 1) if rps_runs else None,
        "rps_runs": [round(r, 1) for r in rps_runs],
        "queries": len(sql),
        "b0_sql_ms": round(raw_floor_ms(sql), 3) if sql else 0.0,
        "worker_rss_mb": round(server.worker_rss_mb(), 1),
        "target_p95_ms": page.target_p95_ms,
    }
    return entry


def measure_mixed(ctx, args, cookies) -> list[dict[str, Any]]:
    from bench import mixed, scenarios

    pages = [page for page in scenarios.pages() if page.desk_share > 0]
    for page in pages:
        cookies.setdefault(page.user, session_cookie(page.user))
    entries = []
    for multiple in mixed.MULTIPLES:
        rate = mixed.PEAK_RPS * multiple
        log(f"mixed desk workload at {multiple}x peak ({rate:g} req/s)")
        runs = [
            mixed.run(
                pages,
                ctx,
                cookies,
                rate=rate,
                seconds=args.mixed_seconds,
                request=request,
                unique_form=unique_form,
                read_server_times=read_server_times,
            )
            for _ in range(args.reps)
        ]
        p95s = [r["p95_ms"] for r in runs if r["p95_ms"] is not None]
        entries.append(
            {
                "scenario": f"mixed desk workload {multiple}x peak ({rate:g} req/s)",
                "method": "mix",
                "p50_ms": statistics.median(r["p50_ms"] for r in runs if r["p50_ms"] is not None),
                "p95_ms": statistics.median(p95s),
                "p95_spread_ms": [min(p95s), max(p95s)],
                "rps": statistics.median(r["rps"] for r in runs),
                "statuses": runs[-1]["statuses"],
                "pages": runs[-1]["pages"],
                "shares": {page.name: page.desk_share for page in pages},
                "queries": None,
                "b0_sql_ms": None,
                "worker_rss_mb": None,
                "target_p95_ms": None,
            }
        )
    return entries


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10, help="wrk window per run")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--only", help="run scenarios whose name contains this")
    parser.add_argument(
        "--mixed-seconds", type=int, default=30, help="length of each mixed-workload run"
    )
    args = parser.parse_args(argv)

    setup_django()
    from django.core.management import call_command

    from bench import data, scenarios

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    ctx = data.generate(log)
    cookies: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    with Server(args.workers) as server:
        pages = [scenarios.PLAINTEXT, scenarios.ONE_QUERY, *scenarios.pages()]
        for page in pages:
            if args.only and args.only not in page.name and page not in (scenarios.ONE_QUERY,):
                continue
            log(f"page: {page.name}")
            results.append(measure_page(page, ctx, server, args, cookies))
        if not args.only or "mixed" in args.only:
            results.extend(measure_mixed(ctx, args, cookies))
    b2 = next(r for r in results if r["scenario"] == scenarios.ONE_QUERY.name)
    for entry in results:
        entry["ratio_p95_to_b0"] = (
            round(entry["p95_ms"] / entry["b0_sql_ms"], 1) if entry.get("b0_sql_ms") else None
        )
        entry["ratio_p95_to_b2"] = round(entry["p95_ms"] / b2["p95_ms"], 2)
        # An open-loop mix runs at a set rate: its rps is not a capacity.
        entry["ratio_rps_to_b2"] = (
            round(entry["rps"] / b2["rps"], 2)
            if entry.get("rps") and b2.get("rps") and entry.get("method") != "mix"
            else None
        )
        target = entry.get("target_p95_ms")
        entry["pass"] = None if target is None else entry["p95_ms"] <= target
    for task in scenarios.tasks():
        if args.only and args.only not in task.name:
            continue
        log(f"task: {task.name}")
        outcome = task.run(ctx)
        results.append(
            {
                "scenario": task.name,
                **outcome,
                "target_seconds": task.target_seconds,
                "pass": None
                if task.target_seconds is None
                else outcome["seconds"] <= task.target_seconds,
            }
        )
    write_results(results, args)
    return 0


def machine() -> dict[str, Any]:
    import psutil

    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def write_results(results: list[dict[str, Any]], args) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    meta = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {**machine(), "postgresql": pg},
        "method": {
            "reps": args.reps,
            "requests_per_rep": args.requests,
            "warmup": args.warmup,
            "wrk": f"-t2 -c8 -d{args.seconds}s",
            "gunicorn_workers": args.workers,
        },
    }
    (HERE / "results.json").write_text(
        json.dumps({**meta, "scenarios": results}, ensure_ascii=False, indent=2) + "\n"
    )
    lines = [
        "# Benchmark results",
        "",
        f"Run {meta['date']} on {meta['machine']['cpus']} CPUs, "
        f"{meta['machine']['memory_gib']} GiB, Python {meta['machine']['python']}, "
        f"PostgreSQL {pg}. Method: `bench/README.md`; raw figures: `bench/results.json`.",
        "",
        "Latency is server-side (gunicorn's request time) over sequential requests: "
        "the median over repetitions of each repetition's p50 and p95. "
        "B0 = the page's own SQL through raw psycopg2; B2 = the one-query view.",
        "",
        "| scenario | p50 ms | p95 ms (spread) | target | pass | rps | rps/B2 | p95/B2 | queries | B0 ms | p95/B0 | worker RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def cell(value: Any) -> str:
        return "—" if value is None else str(value)

    for r in results:
        if "p95_ms" in r:
            lines.append(
                f"| {r['scenario']} | {r['p50_ms']} | {r['p95_ms']} ({r['p95_spread_ms'][0]}–{r['p95_spread_ms'][1]}) "
                f"| {cell(r['target_p95_ms'])} | {'—' if r['pass'] is None else ('yes' if r['pass'] else '**no**')} "
                f"| {cell(r['rps'])} | {cell(r['ratio_rps_to_b2'])} | {r['ratio_p95_to_b2']} | {cell(r['queries'])} "
                f"| {cell(r['b0_sql_ms'])} | {cell(r['ratio_p95_to_b0'])} | {cell(r['worker_rss_mb'])} |"
            )
    for r in results:
        if r.get("method") == "mix":
            lines += [
                "",
                f"**{r['scenario']}**: achieved {r['rps']} req/s, statuses {r['statuses']}; "
                "client-side p95 per page: "
                + ", ".join(
                    f"{name} {p['client_p95_ms']} ms (n={p['n']})" for name, p in r["pages"].items()
                ),
            ]
    tasks = [r for r in results if "seconds" in r]
    if tasks:
        lines += ["", "| task | seconds | target s | pass | notes |", "|---|---|---|---|---|"]
        for r in tasks:
            lines.append(
                f"| {r['scenario']} | {r['seconds']:.2f} | {r['target_seconds'] or '—'} "
                f"| {'—' if r['pass'] is None else ('yes' if r['pass'] else '**no**')} | {r.get('notes', '')} |"
            )
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    log("wrote bench/results.json and bench/RESULTS.md")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
