"""The default cache: Django's Redis cache, which answers "not cached" while
Redis is away instead of failing the request.

Everything kept in the cache (sessions' copies, each user's access, the
dashboard's slow figures, the screens' playlists) can be rebuilt from
PostgreSQL, so during a Redis outage a read is a miss, a write is skipped and
the page is served from the database (issue 24). Two things keep an outage
cheap and safe:

- A short breaker: after a failure this process leaves Redis alone for
  `RETRY_AFTER_SECONDS`, so a page with ten cache calls does not wait ten
  connect timeouts.
- A write that did not reach Redis leaves the key behind to be deleted when
  Redis answers again: if Redis comes back with its data (a restart with
  persistence, a network cut), an entry the outage should have replaced or
  deleted — a user's access after a role change, a session after a logout —
  is not served stale. Per process, so best effort: every entry has a TTL.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
# Keys to delete once Redis is back; past this many, forget the oldest
# worry rather than grow without bound during a long outage.
MAX_PENDING_DELETES = 10_000


class _Outage:
    """Per process and Redis server: is it down, and what did we fail to write?"""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.pending_deletes: set[Any] = set()

    def trip(self, exc: Exception, retry_after: float) -> None:
        with self.lock:
            if self.down_until == 0.0:
                logger.warning("Redis cache unavailable, serving from the database: %s", exc)
            self.down_until = time.monotonic() + retry_after

    def recovered(self) -> None:
        if self.down_until:
            with self.lock:
                self.down_until = 0.0
            logger.warning("Redis cache reachable again")

    def remember(self, keys: list[Any]) -> None:
        with self.lock:
            if len(self.pending_deletes) + len(keys) <= MAX_PENDING_DELETES:
                self.pending_deletes.update(keys)

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(servers: list[str]) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(tuple(servers), _Outage())


class DegradingRedisCacheClient(RedisCacheClient):
    """Each operation returns what a cache that holds nothing would return
    when Redis cannot be reached or does not answer in time."""

    def __init__(self, servers: list[str], *, retry_after: float, **options: Any) -> None:
        super().__init__(servers, **options)
        self._outage = _outage_for(servers)
        self._retry_after = retry_after

    def _guarded(self, name: str, missed: Any, *args: Any, written: list[Any] = ()) -> Any:
        outage = self._outage
        if outage.is_down():
            outage.remember(list(written))
            return missed
        try:
            if outage.pending_deletes:
                self._delete_pending()
            result = getattr(super(), name)(*args)
        except UNAVAILABLE as exc:
            outage.trip(exc, self._retry_after)
            outage.remember(list(written))
            return missed
        outage.recovered()
        return result

    def _delete_pending(self) -> None:
        outage = self._outage
        with outage.lock:
            keys, outage.pending_deletes = list(outage.pending_deletes), set()
        try:
            super().delete_many(keys)
        except UNAVAILABLE:
            outage.remember(keys)
            raise

    def add(self, key, value, timeout):
        return self._guarded("add", False, key, value, timeout, written=[key])

    def get(self, key, default):
        return self._guarded("get", default, key, default)

    def set(self, key, value, timeout):
        return self._guarded("set", None, key, value, timeout, written=[key])

    def touch(self, key, timeout):
        return self._guarded("touch", False, key, timeout)

    def delete(self, key):
        return self._guarded("delete", False, key, written=[key])

    def get_many(self, keys):
        return self._guarded("get_many", {}, keys)

    def has_key(self, key):
        return self._guarded("has_key", False, key)

    def incr(self, key, delta):
        # As if counting from zero: callers count attempts and read them back.
        return self._guarded("incr", delta, key, delta, written=[key])

    def set_many(self, data, timeout):
        return self._guarded("set_many", None, data, timeout, written=list(data))

    def delete_many(self, keys):
        return self._guarded("delete_many", None, keys, written=list(keys))

    def clear(self):
        return self._guarded("clear", False)


class DegradingRedisCache(RedisCache):
    """Django's RedisCache on `DegradingRedisCacheClient`. OPTIONS take
    `RETRY_AFTER_SECONDS` (default 5) besides redis-py's connection options;
    give it short `socket_connect_timeout` and `socket_timeout`."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        options = dict(self._options)
        retry_after = float(options.pop("RETRY_AFTER_SECONDS", 5))
        self._class = DegradingRedisCacheClient
        self._options = {**options, "retry_after": retry_after}
