"""A Redis cache that is never the outage: ``FailOpenRedisCache``.

Every cache this site keeps is an optimisation or a soft guard: whole pages for
anonymous visitors (rebuilt from the database on a miss), rate-limit counters
(``cms/core/limits.py`` skips a limit it cannot count), and small lookups.
Django's own ``RedisCache`` raises ``redis.ConnectionError`` from every call
when Redis is down, which turned every page into a 500 and the API into an
error. This subclass answers like an empty cache instead: reads miss, writes
are dropped, and one warning per outage says so in the log.

While Redis is down the backend does not try it on every call: after a failure
it waits ``DOWN_RETRY_SECONDS`` (an ``OPTIONS`` key, default 2) before trying
again, so a Redis that hangs rather than refuses costs at most one short socket
timeout (``socket_connect_timeout``/``socket_timeout`` in ``OPTIONS``) every
few seconds per process, not per call. Recovery needs nobody: the next try
after the pause that succeeds logs "reachable again".

A cache that missed writes while it was away may hold entries those writes
would have replaced (the page-cache generation a publish changed, say). So on
recovery after a dropped write the backend empties its Redis database once:
a cold cache is slower for a moment, a stale one could show a withdrawn page.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Django builds one backend object per thread; the outage state is per Redis
# server and process, so every thread agrees and the log says it once.
_state_lock = threading.Lock()
_down_until: dict[str, float] = {}
_lost_writes: set[str] = set()


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache call, and redis-py's
    constructor fills a table of some 170 response callbacks each time: on a
    page answered from the two-level cache (one ``GET`` of the generation)
    that cost as much as the round trip to Redis. A ``redis.Redis`` may be
    shared between threads (each command takes a connection from the pool),
    so one is made per pool and kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(
                id(pool), self._client(connection_pool=pool)
            )
        return client


class FailOpenRedisCache(RedisCache):
    """Django's ``RedisCache`` that behaves as an empty cache while Redis is down."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.down_retry_seconds = float(options.pop("DOWN_RETRY_SECONDS", 2))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        self._server_key = server if isinstance(server, str) else ",".join(server)
        # Named by host and port only: the URL may carry a password.
        first = urlsplit(self._server_key.split(",")[0])
        self._name = f"{first.hostname}:{first.port or 6379}"

    # The outage bookkeeping.

    def _is_resting(self) -> bool:
        return time.monotonic() < _down_until.get(self._server_key, 0.0)

    def _failed(self, operation: str, error: Exception, *, write: bool) -> None:
        with _state_lock:
            first = self._server_key not in _down_until
            _down_until[self._server_key] = time.monotonic() + self.down_retry_seconds
            if write:
                _lost_writes.add(self._server_key)
        if first:
            logger.warning(
                "Redis cache server %s is unavailable (%s during %s): "
                "serving without it, retrying every %g s",
                self._name,
                type(error).__name__,
                operation,
                self.down_retry_seconds,
            )

    def _recovered(self) -> None:
        with _state_lock:
            if self._server_key not in _down_until:
                return
            del _down_until[self._server_key]
            flush = self._server_key in _lost_writes
            _lost_writes.discard(self._server_key)
        logger.warning("Redis cache server %s is reachable again", self._name)
        if flush:
            try:
                super().clear()
            except RedisError as error:
                self._failed("clear", error, write=True)
            else:
                logger.warning(
                    "Redis cache server %s emptied: writes were dropped while "
                    "it was down",
                    self._name,
                )

    def _call(self, operation: str, default, method, *args, write: bool, **kwargs):
        if self._is_resting():
            if write:
                with _state_lock:
                    _lost_writes.add(self._server_key)
            return default
        try:
            result = method(*args, **kwargs)
        except RedisError as error:
            self._failed(operation, error, write=write)
            return default
        if self._server_key in _down_until:
            self._recovered()
        return result

    # Django's cache API, each call failing open with an empty cache's answer.

    def get(self, key, default=None, version=None):
        return self._call(
            "get", default, super().get, key, default, version, write=False
        )

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version, write=False)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version, write=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, super().set, key, value, timeout, version, write=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = list(data)
        return self._call(
            "set_many", failed, super().set_many, data, timeout, version, write=True
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "add", False, super().add, key, value, timeout, version, write=True
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "touch", False, super().touch, key, timeout, version, write=True
        )

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version, write=True)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, super().delete_many, keys, version, write=True)

    def incr(self, key, delta=1, version=None):
        # None, not a number: django-ratelimit reads it as "could not count"
        # and, with RATELIMIT_FAIL_OPEN, lets the request through.
        return self._call("incr", None, super().incr, key, delta, version, write=True)

    def clear(self):
        return self._call("clear", False, super().clear, write=True)
