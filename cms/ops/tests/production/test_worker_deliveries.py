"""Webhooks in the production topology: workers racing, a worker killed mid-send.

The workers here run the production settings plus loopback receivers
(``worker_settings.py``, test only), on the lane's PostgreSQL. A receiver on
127.0.0.1 in this process records every delivery id it acknowledged (answered
200 to a worker still listening). At the end the lane's usual worker is back.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cms.ops.tests.topology import Service, shell_json, wait_until, worker

pytestmark = pytest.mark.production

WORKER_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.ops.tests.production.worker_settings",
    # A lease of 6 + 2 s: a dead worker's delivery is sent again within ~10 s.
    "WEBHOOK_TIMEOUT_SECONDS": "6",
    "WEBHOOK_LEASE_MARGIN_SECONDS": "2",
    "WEBHOOK_RETRY_BASE_SECONDS": "1",
}
WORKER_ARGS = ("--sweep-interval", "1")


class CountingReceiver:
    """Acknowledges POSTs with 200 after ``delay``; can hold the first one open.

    ``hold_first``: the first request is recorded in ``held`` and left without
    an answer for up to 30 s (bounded), as a receiver that is slow to answer;
    its late answer, to a worker that is gone, is not an acknowledgement.
    """

    def __init__(self, *, delay: float = 0.0, hold_first: bool = False):
        self.delay, self.hold_first = delay, hold_first
        self.held: list[int] = []
        self.acknowledged: list[int] = []
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                delivery_id = json.loads(body)["delivery_id"]
                with receiver.lock:
                    hold = receiver.hold_first and not receiver.held
                    if hold:
                        receiver.held.append(delivery_id)
                if hold:
                    receiver.release.wait(timeout=30)
                    return  # never answered: the worker that sent it is dead
                time.sleep(receiver.delay)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                    self.wfile.flush()
                except OSError:
                    return
                with receiver.lock:
                    receiver.acknowledged.append(delivery_id)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


CREATE = """
import json
from django.utils import timezone
from cms.publishing import tasks
from cms.publishing.models import WebhookDelivery, WebhookEndpoint
endpoint = WebhookEndpoint.objects.create(
    name=NAME, url=URL, secret="lane-secret", events=["page.published"]
)
ids = []
for n in range(COUNT):
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="page.published", payload={"n": n},
        next_attempt_at=timezone.now(),
    )
    for _copy in range(COPIES):
        tasks.enqueue_delivery(delivery.pk)
    ids.append(delivery.pk)
print(json.dumps(ids))
"""


def create_deliveries(lane, receiver, *, name, count, copies) -> list[int]:
    code = (
        CREATE.replace("NAME", repr(name))
        .replace("URL", repr(receiver.url))
        .replace("COUNT", str(count))
        .replace("COPIES", str(copies))
    )
    return shell_json(lane.env, code)


def statuses(lane, ids) -> dict[str, str]:
    return {
        str(pk): status
        for pk, status in shell_json(
            lane.env,
            "import json; from cms.publishing.models import WebhookDelivery; "
            f"print(json.dumps(list(WebhookDelivery.objects.filter(pk__in={ids!r})"
            ".values_list('pk', 'status'))))",
        )
    }


def delete_endpoint(lane, name):
    shell_json(
        lane.env,
        "from cms.publishing.models import WebhookEndpoint; "
        f"WebhookEndpoint.objects.filter(name={name!r}).delete(); print(0)",
    )


@pytest.fixture(scope="module")
def webhook_worker(lane):
    """The lane's worker, restarted with loopback receivers allowed."""
    lane.restart_worker(WORKER_ENV, *WORKER_ARGS)
    yield lane
    lane.restart_worker()  # the usual worker again, for whatever runs next


def test_two_healthy_workers_never_send_the_same_delivery_twice(webhook_worker):
    lane = webhook_worker
    second = worker({**lane.env, **WORKER_ENV}, lane.logs)
    second = Service(
        name="second worker (manage.py run_worker)",
        argv=[*second.argv, *WORKER_ARGS],
        env=second.env,
        log=lane.logs / "worker-2.log",
    ).start()
    receiver = CountingReceiver(delay=0.2)  # attempts overlap
    try:
        ids = create_deliveries(lane, receiver, name="Race", count=16, copies=3)
        wait_until(
            lambda: len(receiver.acknowledged) >= len(ids),
            what="every delivery to arrive",
            timeout=90,
        )
        time.sleep(2)  # time for a duplicate to show up, were there one
        assert sorted(receiver.acknowledged) == sorted(ids)
        assert set(statuses(lane, ids).values()) == {"delivered"}
    finally:
        receiver.stop()
        second.stop()
        delete_endpoint(lane, "Race")


def test_a_delivery_the_killed_worker_was_making_is_made_after_a_restart(
    webhook_worker,
):
    lane = webhook_worker
    receiver = CountingReceiver(hold_first=True)
    try:
        [delivery_id] = create_deliveries(
            lane, receiver, name="Killed", count=1, copies=1
        )
        wait_until(lambda: receiver.held, what="the first attempt", timeout=30)
        # The worker dies mid-attempt: the receiver has the request, unanswered.
        process = lane.services["worker"].process
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        killed_at = time.monotonic()
        assert statuses(lane, [delivery_id]) == {str(delivery_id): "pending"}

        lane.restart_worker(WORKER_ENV, *WORKER_ARGS)
        wait_until(
            lambda: receiver.acknowledged,
            what="the delivery after the restart",
            timeout=45,
        )
        waited = time.monotonic() - killed_at
        time.sleep(2)  # time for a duplicate to show up, were there one
        assert receiver.held == [delivery_id]
        assert receiver.acknowledged == [delivery_id]  # exactly once
        # As soon as the lease (6 + 2 s) lapsed, not after a fixed 70 s.
        assert waited < 20, waited
        assert statuses(lane, [delivery_id]) == {str(delivery_id): "delivered"}
    finally:
        receiver.stop()
        delete_endpoint(lane, "Killed")
