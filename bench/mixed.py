"""The mixed desk workload: every page with a `desk_share` requested in that
proportion, at a fixed arrival rate (open loop: requests arrive on a Poisson
schedule whether or not earlier ones finished, as customers and phone calls
do), at 1× and 3× an estimated peak.

The peak estimate (PEAK_RPS) is a busy Saturday afternoon across the two
malls: 5 desk PCs, 1 broadcast room, 1 supervisor a mall, each active
user loading a page or submitting a form about every 3 seconds, plus the
entrance screens' players polling — about 5 requests a second."""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

PEAK_RPS = 5.0
MULTIPLES = (1, 3)


def run(
    pages, ctx, cookies, *, rate: float, seconds: float, request, unique_form, read_server_times
) -> dict[str, Any]:
    """Issue requests to `pages` (weighted by desk_share) at `rate` per
    second for `seconds`; report server-side latency over all requests,
    client-side p95 per page, the rate achieved and any errors."""
    rng = random.Random(7)
    weights = [page.desk_share for page in pages]
    client: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    lock = threading.Lock()

    def one(page) -> None:
        body = unique_form(page, ctx) if page.form else None
        status, ms = request(page.path(ctx), cookies[page.user], page.method, body, page.headers)
        with lock:
            client[page.name].append(ms)
            statuses[status] += 1

    _, offset = read_server_times(0)
    started = time.perf_counter()
    next_at = 0.0
    sent = 0
    with ThreadPoolExecutor(max_workers=32) as pool:
        while next_at < seconds:
            delay = started + next_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, rng.choices(pages, weights)[0])
            sent += 1
            next_at += rng.expovariate(rate)
    elapsed = time.perf_counter() - started
    server, _ = read_server_times(offset)
    ordered = sorted(server)
    return {
        "requests": sent,
        "rps": round(sent / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 2) if ordered else None,
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2) if ordered else None,
        "statuses": dict(sorted(statuses.items())),
        "pages": {
            name: {
                "n": len(times),
                "client_p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))], 2),
            }
            for name, times in sorted(client.items())
        },
    }
