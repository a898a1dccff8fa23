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

Issue 16: a key every request reads (the page cache's content generation) is
read with ``get_tracked``: this process keeps the value and Redis tells it when
the value changes (``TrackedReads``), so a cached page costs no round trip.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.connection import ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError

logger = logging.getLogger(__name__)

# Django builds one backend object per thread; the outage state is per Redis
# server and process, so every thread agrees and the log says it once.
_state_lock = threading.Lock()
_down_until: dict[str, float] = {}
_lost_writes: set[str] = set()
_tracked: dict[str, TrackedReads] = {}
# Servers that refused tracking (a Redis before 6, an ACL without CLIENT).
_untracked: set[str] = set()


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


class TrackedReads:
    """Values this process read from Redis, kept until Redis says they changed.

    Every cached page is checked against the content generation, and a
    ``GET`` of it was the dearest part of a hit: a round trip, and Redis's
    own CPU on the same cores. Redis can instead remember which keys a
    connection read and push an ``invalidate`` message on that connection
    when one of them changes (``CLIENT TRACKING``, RESP3). So a process keeps
    one connection for tracked reads, and a read checks it with a poll that
    does not wait: nothing waiting means nothing read here has changed.

    Why the poll is enough: Redis writes the invalidation in the same pass
    of its event loop as its answer to the command that changed the key, and
    handles no later command before that pass ends. A writer that reads the
    key back after changing it (``cms.core.cachestore``) therefore knows,
    when its read returns, that every tracking connection has been sent the
    invalidation.

    Trust is also bounded in time: a value is read again after
    ``confirm_seconds`` even without a message, because a connection cut
    without a word (a network partition) would bring none. A broken
    connection forgets everything it kept; the next read connects again and
    asks Redis afresh.
    """

    def __init__(
        self,
        make_connection: Callable[[], object],
        confirm_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.make_connection = make_connection
        self.confirm_seconds = confirm_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        self._values: dict[str, bytes] = {}
        self._confirmed = float("-inf")

    def get(self, key: str) -> bytes | None:
        """The raw value of ``key``, from this process when Redis said nothing."""
        with self._lock:
            try:
                return self._get(key)
            except RedisConnectionError:
                # One fresh connection, for a Redis that restarted meanwhile
                # (not for one that hangs: that would wait twice).
                self._forget()
                return self._get(key)

    def forget(self) -> None:
        """Drop the connection and everything kept (a failure, a test)."""
        with self._lock:
            self._forget()

    def _get(self, key: str) -> bytes | None:
        connection = self._open()
        try:
            while connection.can_read():
                connection.read_response(push_request=True)
            if key in self._values and self.clock() < self._confirmed:
                return self._values[key]
            asked = self.clock()
            connection.send_command("GET", key)
            value = connection.read_response()
        except RedisError:
            self._forget()
            raise
        # Any invalidation sent before this answer was handled while reading
        # it, so the value stands until the next message. A missing key is
        # not kept: it is only missing while the first process starts.
        if value is not None:
            self._values[key] = value
        self._confirmed = asked + self.confirm_seconds
        return value

    def _open(self):
        if self._connection is None or self._pid != os.getpid():
            # After a fork the parent's socket is not ours to use.
            self._connection, self._pid = self.make_connection(), os.getpid()
            self._values.clear()
            self._connection.register_connect_callback(self._start_tracking)
        return self._connection

    def _start_tracking(self, connection) -> None:
        # Runs on every (re)connection: Redis tracks per connection, and a new
        # one knows nothing of what the old one read.
        self._values.clear()
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()
        connection._parser.set_invalidation_push_handler(self._invalidated)

    def _invalidated(self, message) -> None:
        keys = message[1]
        if keys is None:  # FLUSHDB / FLUSHALL
            self._values.clear()
            return
        for key in keys:
            self._values.pop(key.decode() if isinstance(key, bytes) else key, None)

    def _forget(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.disconnect()
        self._connection = None
        self._values.clear()
        self._confirmed = float("-inf")


def _tracking_connection(url: str, options: dict):
    """A connection of its own for tracked reads, in RESP3 (which has pushes)."""
    return ConnectionPool.from_url(url, **{**options, "protocol": 3}).make_connection()


class FailOpenRedisCache(RedisCache):
    """Django's ``RedisCache`` that behaves as an empty cache while Redis is down."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.down_retry_seconds = float(options.pop("DOWN_RETRY_SECONDS", 2))
        self.tracking_confirm_seconds = float(
            options.pop("TRACKING_CONFIRM_SECONDS", 1)
        )
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

    def get_tracked(self, key, default=None, version=None):
        """``get`` for a key read on every request, kept here between changes.

        Redis pushes a message when the key changes (``TrackedReads``), so
        most reads make no round trip. A writer that needs every process to
        see its change at once reads the key back after writing it.
        """
        return self._call(
            "get", default, self._get_tracked, key, default, version, write=False
        )

    def _get_tracked(self, key, default, version):
        if self._server_key in _untracked:
            return super().get(key, default, version)
        try:
            raw = self._tracked_reads().get(self.make_and_validate_key(key, version))
        except ResponseError as error:
            # Redis answered, but not to RESP3 or CLIENT TRACKING: plain reads
            # from now on, each a round trip, still never a stale value.
            with _state_lock:
                _untracked.add(self._server_key)
            logger.warning(
                "Redis cache server %s refused client tracking (%s): "
                "reading the page cache's generation on every request",
                self._name,
                error,
            )
            return super().get(key, default, version)
        return default if raw is None else self._cache._serializer.loads(raw)

    def _tracked_reads(self) -> TrackedReads:
        reads = _tracked.get(self._server_key)
        if reads is None:
            # The first server takes the writes (Django's rule), so its
            # connection is the one told about every change.
            connect = partial(
                _tracking_connection, self._cache._servers[0], self._cache._pool_options
            )
            with _state_lock:
                reads = _tracked.setdefault(
                    self._server_key,
                    TrackedReads(connect, self.tracking_confirm_seconds),
                )
        return reads

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
