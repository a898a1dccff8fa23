"""Tracked reads: a value kept in the process until Redis says it changed.

The page cache reads the content generation on every request
(``cms.core.cachestore``); ``FailOpenRedisCache.get_tracked`` keeps it and
relies on Redis's ``CLIENT TRACKING`` messages. These tests hold it to the
page cache's promise against a real ``redis-server`` on 127.0.0.1: a change
made and read back anywhere is seen by the very next read, in this process and
in another one, and a Redis that restarts, empties or stops never leaves a
process trusting an old value.
"""

import logging
import multiprocessing
import socket
import time

import pytest
import redis

from cms.ops import cache as ops_cache
from cms.ops.cache import FailOpenRedisCache, TrackedReads

KEY = "page-cache:generation"


def backend(url: str, **options) -> FailOpenRedisCache:
    return FailOpenRedisCache(url, {"KEY_PREFIX": "pages", "OPTIONS": options})


def calls(stats: redis.Redis) -> int:
    """Commands Redis has answered, ``INFO`` itself not counted."""
    counts = stats.info("commandstats")
    return sum(
        entry["calls"] for name, entry in counts.items() if name != "cmdstat_info"
    )


def change(writer: FailOpenRedisCache, value: str) -> None:
    """Change the key as ``cachestore.invalidate`` does: write, read back."""
    writer.set(KEY, value, timeout=None)
    assert writer.get(KEY) == value


@pytest.fixture
def stats(redis_url):
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    yield client
    client.close()


def test_a_kept_value_costs_no_round_trip(redis_url, stats):
    writer, reader = backend(redis_url), backend(redis_url)
    change(writer, "first")
    assert reader.get_tracked(KEY) == "first"
    before = calls(stats)
    for _read in range(20):
        assert reader.get_tracked(KEY) == "first"
    assert calls(stats) == before


def test_a_change_read_back_is_seen_by_the_very_next_read(redis_url):
    writer, reader = backend(redis_url), backend(redis_url)
    change(writer, "v0")
    assert reader.get_tracked(KEY) == "v0"
    for number in range(1, 301):
        change(writer, f"v{number}")
        assert reader.get_tracked(KEY) == f"v{number}"


def _read_in_another_process(url, connection, parent_connection_id):
    """The reader half of the cross-process test (runs in a forked child)."""
    reader = backend(url)
    stale = 0
    while (expected := connection.recv()) is not None:
        stale += reader.get_tracked(KEY) != expected
        connection.send(stale)
    reads = ops_cache._tracked[reader._server_key]
    connection.send(id(reads._connection) != parent_connection_id)


def test_another_process_sees_every_change_on_its_next_read(redis_url):
    """Two processes, as two app servers: after each change is read back, the
    other process reads. A process forked after reading opens its own
    connection rather than sharing its parent's socket."""
    writer, reader = backend(redis_url), backend(redis_url)
    change(writer, "start")
    assert reader.get_tracked(KEY) == "start"
    parent_connection = ops_cache._tracked[reader._server_key]._connection
    here, there = multiprocessing.get_context("fork").Pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_read_in_another_process,
        args=(redis_url, there, id(parent_connection)),
    )
    child.start()
    try:
        stale = 0
        for number in range(2000):
            change(writer, f"n{number}")
            here.send(f"n{number}")
            assert here.poll(10), "the other process stopped answering"
            stale = here.recv()
        here.send(None)
        assert here.poll(10)
        assert here.recv() is True, "the child used its parent's connection"
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
    assert stale == 0
    # The parent's own connection still works after the child went.
    change(writer, "after")
    assert reader.get_tracked(KEY) == "after"


def test_without_a_message_a_value_is_asked_again_after_confirm_seconds(
    redis_url, stats
):
    """A connection cut without a word brings no message: trust is bounded."""
    now = [100.0]
    pool_options = {"protocol": 3, "socket_timeout": 2}
    reads = TrackedReads(
        lambda: redis.ConnectionPool.from_url(
            redis_url, **pool_options
        ).make_connection(),
        confirm_seconds=1.0,
        clock=lambda: now[0],
    )
    stats.set("plain", b"one")
    assert reads.get("plain") == b"one"
    before = calls(stats)
    now[0] += 0.9
    assert reads.get("plain") == b"one"
    assert calls(stats) == before
    now[0] += 0.2
    assert reads.get("plain") == b"one"
    assert calls(stats) == before + 1
    reads.forget()


def test_emptying_the_database_forgets_what_was_kept(redis_url, stats):
    """The fail-open recovery empties the database; nothing kept survives it."""
    writer, reader = backend(redis_url), backend(redis_url)
    change(writer, "before the outage")
    assert reader.get_tracked(KEY) == "before the outage"
    stats.flushdb()
    assert writer.get(KEY) is None  # read back, as after any change
    assert reader.get_tracked(KEY, "missing") == "missing"


def test_a_restarted_redis_is_asked_afresh(redis_server, caplog):
    writer, reader = backend(redis_server.url), backend(redis_server.url)
    change(writer, "old")
    assert reader.get_tracked(KEY) == "old"
    redis_server.restart()  # same port, empty
    with caplog.at_level(logging.WARNING, logger="cms.ops.cache"):
        assert reader.get_tracked(KEY, "missing") == "missing"
        change(writer, "new")
        assert reader.get_tracked(KEY) == "new"
    # One reconnection, not an outage: nothing fell back to an empty cache.
    assert not [r for r in caplog.records if "unavailable" in r.getMessage()]


def test_a_stopped_redis_fails_open_and_recovers(redis_server, caplog):
    reader = backend(redis_server.url, DOWN_RETRY_SECONDS=0)
    change(reader, "kept")
    assert reader.get_tracked(KEY) == "kept"
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="cms.ops.cache"):
        assert reader.get_tracked(KEY, "fallback") == "fallback"
    assert any("unavailable" in r.getMessage() for r in caplog.records)
    redis_server.start()
    change(reader, "back")
    assert reader.get_tracked(KEY) == "back"


def test_a_hanging_redis_costs_one_socket_timeout():
    """A server that accepts and never answers: the read gives up once."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        reader = backend(
            f"redis://127.0.0.1:{port}/0",
            socket_connect_timeout=0.3,
            socket_timeout=0.3,
        )
        started = time.monotonic()
        assert reader.get_tracked(KEY, "fallback") == "fallback"
        waited = time.monotonic() - started
    assert waited < 1.5, f"waited {waited:.2f} s for a silent server"


def test_a_redis_that_refuses_tracking_is_read_plainly(redis_url, stats, caplog):
    """An ACL without ``CLIENT`` (or a Redis before 6) refuses tracking: every
    read is then a plain ``GET``, the page cache slower but never stale."""
    stats.execute_command("ACL", "SETUSER", "plain", "on", ">secret", "~*", "+@all")
    stats.execute_command("ACL", "SETUSER", "plain", "-client")
    url = redis_url.replace("redis://", "redis://plain:secret@")
    writer, reader = backend(redis_url), backend(url)
    change(writer, "one")
    with caplog.at_level(logging.WARNING, logger="cms.ops.cache"):
        assert reader.get_tracked(KEY) == "one"
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "refused client tracking" in warning
    assert "secret" not in warning
    change(writer, "two")
    before = calls(stats)
    assert reader.get_tracked(KEY) == "two"
    assert calls(stats) == before + 1  # a round trip, as before tracking
