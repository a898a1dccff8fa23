"""Redis fixtures (a pytest plugin, see the root conftest): a throw-away
``redis-server`` on 127.0.0.1, as the page cache and its tests use it."""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from cms.ops.tests.topology import free_port

STARTUP_TRIES = 100  # of 0.1 s each


@dataclass
class RedisServer:
    """One ``redis-server`` process; ``restart`` keeps its port, loses its data."""

    binary: str
    port: int
    directory: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - redis-server, fixed arguments
            [
                *(self.binary, "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=2)
        try:
            for _ in range(STARTUP_TRIES):
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if self.process.poll() is not None:
                        break  # it exited (the port taken, say)
                    time.sleep(0.1)
            pytest.fail("redis-server did not answer within 10 s")
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def redis_server(tmp_path):
    """A throw-away redis-server on 127.0.0.1 (fails on CI if it is missing)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(binary, free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    return redis_server.url
