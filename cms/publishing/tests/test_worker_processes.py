"""The worker as real processes on a SQLite file: supervision and two racing workers.

``manage.py run_worker`` stops with status 1 when its ``db_worker`` child dies,
so systemd (``Restart=always``) or Kubernetes starts it again; and two queue
workers working the same deliveries (each queued three times) send each one
exactly once, thanks to the lease. Everything listens on 127.0.0.1; every wait
has a deadline. The database is migrated once for the module (~40 s).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from cms.ops.tests.topology import PYTHON, ROOT, manage, wait_until
from cms.publishing.tests.receiver import Receiver

# The PostgreSQL lane skips it: these processes run on their own SQLite file
# whatever the lane's database, and the production lane races two workers on
# PostgreSQL (cms/ops/tests/production/test_worker_deliveries.py).
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="SQLite lane only",
)


@pytest.fixture(scope="module")
def worker_env():
    tmp = Path(tempfile.mkdtemp(prefix="clinic-worker."))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
        and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        {
            # dev.py: the database queue, and receivers on loopback allowed.
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "PAGE_CACHE_DIR": str(tmp / "cache-pages"),
            "LIMITS_CACHE_DIR": str(tmp / "cache-limits"),
            "MEDIA_ROOT": str(tmp / "media"),
            "WEBHOOK_TIMEOUT_SECONDS": "5",
            "PYTHONUNBUFFERED": "1",
        }
    )
    manage(env, "migrate", "--noinput")
    yield env, tmp
    shutil.rmtree(tmp, ignore_errors=True)


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc; psutil is not installed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return b""


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1]
    except OSError:
        return False
    return state.split()[0] != "Z"


def start_run_worker(env, tmp) -> tuple[subprocess.Popen, Path]:
    log = tmp / f"run_worker-{time.monotonic_ns()}.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(  # noqa: S603 - our own fixed command
            [PYTHON, str(ROOT / "manage.py"), "run_worker", "--interval", "60"],
            env=env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, log


def queue_worker_of(process: subprocess.Popen) -> int:
    """The db_worker child, once it has been running for a second."""

    def find():
        for child in children_of(process.pid):
            if b"db_worker" in cmdline(child) and alive(child):
                return child
        return None

    child = wait_until(find, what="the db_worker child", timeout=60)
    time.sleep(1)
    assert alive(child), "db_worker died by itself"
    return child


def test_run_worker_exits_with_an_error_when_its_queue_worker_is_killed(worker_env):
    env, tmp = worker_env
    process, log = start_run_worker(env, tmp)
    try:
        child = queue_worker_of(process)
        os.kill(child, signal.SIGKILL)
        returncode = process.wait(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    assert returncode == 1  # systemd's Restart=always starts it again
    output = log.read_text()
    assert "The task queue worker (db_worker) exited with status -9" in output
    assert "service manager starts the worker again" in output
    assert not alive(child)  # reaped, not left as a zombie


def test_run_worker_stops_its_queue_worker_on_sigterm(worker_env):
    env, tmp = worker_env
    process, log = start_run_worker(env, tmp)
    try:
        child = queue_worker_of(process)
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    assert returncode == 0
    assert "Worker stopped." in log.read_text()
    wait_until(lambda: not alive(child), what="db_worker to stop", timeout=10)


CREATE_DELIVERIES = """
import json
from django.utils import timezone
from cms.publishing import tasks
from cms.publishing.models import WebhookDelivery, WebhookEndpoint
endpoint = WebhookEndpoint.objects.create(
    name="Race", url=URL, secret="race-secret", events=["page.published"]
)
ids = []
for n in range(COUNT):
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="page.published", payload={"n": n},
        next_attempt_at=timezone.now(),
    )
    for _copy in range(3):  # queued three times, as repeated sweeps could
        tasks.enqueue_delivery(delivery.pk)
    ids.append(delivery.pk)
print(json.dumps(ids))
"""

COUNT_DELIVERED = """
import json
from cms.publishing.models import WebhookDelivery
print(json.dumps(list(WebhookDelivery.objects.filter(status="delivered")
                      .order_by("pk").values_list("pk", flat=True))))
"""


def test_two_queue_workers_send_each_delivery_exactly_once(worker_env):
    env, tmp = worker_env
    receiver = Receiver(delay=0.2).start()  # slow enough for attempts to overlap
    try:
        code = CREATE_DELIVERIES.replace("URL", repr(receiver.url)).replace(
            "COUNT", "12"
        )
        output = manage(env, "shell", "--no-imports", "-c", code)
        ids = json.loads(output.strip().splitlines()[-1])
        workers = [
            subprocess.Popen(  # noqa: S603 - our own fixed command
                [
                    PYTHON,
                    str(ROOT / "manage.py"),
                    "db_worker",
                    "--batch",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        for process in workers:
            _out, errors = process.communicate(timeout=180)
            assert process.returncode == 0, errors.decode()[-2000:]
    finally:
        receiver.stop()
    received = [json.loads(r.body)["delivery_id"] for r in receiver.requests]
    assert sorted(received) == sorted(ids)  # every one, none twice
    delivered = manage(env, "shell", "--no-imports", "-c", COUNT_DELIVERED)
    assert json.loads(delivered.strip().splitlines()[-1]) == sorted(ids)
