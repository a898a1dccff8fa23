"""Paused endpoints, the lease on a delivery being sent, the per-attempt deadline.

A real HTTP receiver on 127.0.0.1 counts what arrives; the database queue is
run by the in-process worker (``receiver.run_worker``), as in
``test_publishing.py``.
"""

import json
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from cms.publishing import tasks, webhooks
from cms.publishing.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cms.publishing.tests.receiver import Receiver, run_worker
from home.tests.factories import StandardPageFactory


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def endpoint(receiver, db):
    return WebhookEndpoint.objects.create(
        name="Frontend",
        url=receiver.url,
        secret="test-secret",
        events=["page.published"],
    )


@pytest.fixture
def publish(home_page, on_commit):
    """Publish a new page, committing as the editor's request would."""

    def run(title="Aftercare"):
        page = StandardPageFactory(parent=home_page, title=title, live=False)
        on_commit(lambda: page.save_revision().publish())
        return page

    return run


def pause(endpoint, on_commit):
    endpoint.is_active = False
    on_commit(endpoint.save)


def resume(endpoint, on_commit):
    endpoint.is_active = True
    on_commit(endpoint.save)


def run_worker_until_attempts(count: int) -> None:
    """Run queued tasks one by one (Wagtail's index tasks count too)."""
    for _ in range(50):
        if WebhookDelivery.objects.get().attempts >= count:
            return
        run_worker(max_tasks=1)
    raise AssertionError(f"the delivery never reached {count} attempts")


def delivery_ids(receiver) -> list[int]:
    return [json.loads(r.body)["delivery_id"] for r in receiver.requests]


# A paused endpoint gets nothing, retries included


def test_a_notice_queued_before_the_pause_waits_and_goes_out_on_resume(
    endpoint, receiver, publish, on_commit, admin_client
):
    publish()  # queued for the worker, not sent yet
    pause(endpoint, on_commit)
    run_worker()
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PAUSED
    assert delivery.attempts == 0  # holding back uses up no attempt
    # The delivery log says so in words an editor understands.
    log = admin_client.get("/admin/webhook_deliveries/").content.decode()
    assert "Paused (sending to this address is off)" in log
    assert "sending to this address is paused" in log

    resume(endpoint, on_commit)
    run_worker()
    assert delivery_ids(receiver) == [delivery.pk]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.DELIVERED,
        1,
        "",
    )


def test_a_retry_due_after_the_pause_is_not_sent(
    endpoint, receiver, publish, on_commit
):
    receiver.status = 503
    publish()
    run_worker_until_attempts(1)  # the first attempt: refused with 503
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert len(receiver.requests) == 1

    pause(endpoint, on_commit)
    receiver.status = 200
    run_worker(max_tasks=20)  # the queued retry runs, and sends nothing
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PAUSED, 1)

    # Nothing sends it while paused: not the sweep, not "Redeliver".
    assert on_commit(tasks.requeue_pending) == 0
    on_commit(lambda: tasks.redeliver(delivery))
    run_worker()
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PAUSED

    resume(endpoint, on_commit)
    run_worker()
    assert delivery_ids(receiver) == [delivery.pk, delivery.pk]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_an_endpoint_resumed_behind_the_forms_back_is_caught_by_the_sweep(
    endpoint, receiver, publish, on_commit
):
    publish()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    run_worker()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PAUSED
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True)  # no signal
    assert on_commit(tasks.requeue_pending) == 1
    run_worker()
    assert len(receiver.requests) == 1


def test_a_test_notice_to_a_paused_endpoint_is_held_back(
    endpoint, receiver, on_commit, admin_client
):
    pause(endpoint, on_commit)
    response = on_commit(
        lambda: admin_client.post(
            f"/admin/webhook_endpoints/{endpoint.pk}/send-test/", follow=True
        )
    )
    assert "Sending to Frontend is paused" in response.content.decode()
    run_worker()
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PAUSED


# The lease


def test_a_delivery_another_worker_holds_is_not_sent_again(
    endpoint, receiver, publish, on_commit
):
    publish()
    delivery = WebhookDelivery.objects.get()
    token = webhooks.claim(delivery.pk)  # another worker is sending it
    assert token
    assert webhooks.claim(delivery.pk) is None  # nobody else can claim it now
    run_worker()  # this worker's task finds it taken and does nothing
    assert receiver.requests == []
    # Nor does the sweep queue it while the lease lives.
    assert on_commit(tasks.requeue_pending) == 0
    delivery.refresh_from_db()
    assert delivery.claimed_by == token
    assert delivery.lease_until > timezone.now()


def test_a_lapsed_lease_is_queued_again_at_once_without_a_fixed_wait(
    endpoint, receiver, publish, on_commit, settings
):
    """The worker died mid-attempt: its task says "running" for ever."""
    from django_tasks_db.models import DBTaskResult

    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.WEBHOOK_LEASE_MARGIN_SECONDS = 1
    publish()
    delivery = WebhookDelivery.objects.get()
    assert webhooks.claim(delivery.pk)
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    assert on_commit(tasks.requeue_pending) == 0  # lease still live
    # Two seconds later (the deadline plus the margin) the lease has lapsed.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        lease_until=timezone.now() - timedelta(milliseconds=1)
    )
    assert on_commit(tasks.requeue_pending) == 1
    assert on_commit(tasks.requeue_pending) == 0  # queued once, not every sweep
    run_worker()
    assert delivery_ids(receiver) == [delivery.pk]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.claimed_by, delivery.lease_until) == ("", None)


def test_the_lease_lasts_the_attempts_deadline_plus_the_margin(
    endpoint, publish, settings
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 3
    settings.WEBHOOK_LEASE_MARGIN_SECONDS = 2
    publish()
    delivery = WebhookDelivery.objects.get()
    before = timezone.now()
    webhooks.claim(delivery.pk)
    delivery.refresh_from_db()
    held = (delivery.lease_until - before).total_seconds()
    assert 4.5 < held <= 5.5


def test_an_extra_task_does_not_make_an_early_retry(
    endpoint, receiver, publish, on_commit, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 600
    receiver.status = 503
    publish()
    run_worker_until_attempts(1)
    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get()
    on_commit(lambda: tasks.enqueue_delivery(delivery.pk))  # a stray duplicate
    run_worker()
    assert len(receiver.requests) == 1  # the retry waits its ten minutes
    delivery.refresh_from_db()
    assert delivery.attempts == 1


# One deadline per attempt


class DrippingReceiver:
    """Answers a status line at once, then one header line every ``every`` s.

    Bounded: at most ``lines`` header lines, then the end of the headers.
    """

    def __init__(self, every=0.5, lines=20):
        self.every, self.lines = every, lines
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.server.settimeout(10)
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            connection, _ = self.server.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(10)
            try:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\n")
                for n in range(self.lines):
                    time.sleep(self.every)
                    connection.sendall(f"X-Drip-{n}: .\r\n".encode())
                connection.sendall(b"Content-Length: 0\r\n\r\n")
            except OSError:
                pass  # the worker gave up and closed the connection

    def stop(self):
        self.server.close()
        self.thread.join(timeout=15)


def test_a_receiver_that_drips_its_headers_is_cut_at_the_deadline(db, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1.5
    drip = DrippingReceiver(every=0.5, lines=20)  # would take 10 s in all
    try:
        endpoint = WebhookEndpoint.objects.create(
            name="Slow",
            url=f"http://127.0.0.1:{drip.port}/hooks/",
            secret="s",
            events=["test"],
        )
        delivery = webhooks.make_test_notice(endpoint)
        started = time.monotonic()
        status = webhooks.attempt_delivery(delivery.pk)
        elapsed = time.monotonic() - started
    finally:
        drip.stop()
    delivery.refresh_from_db()
    assert status == DeliveryStatus.PENDING  # to be retried
    assert delivery.last_error == "Timed out after 1.5 s"
    assert delivery.response_code is None
    assert 1.4 < elapsed < 2.0
