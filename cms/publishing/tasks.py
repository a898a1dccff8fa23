"""The task queue: every webhook attempt runs here, queued and retried.

Run by the django-tasks worker (``make worker``). Tasks take plain ids, never
model instances: the queue stores their arguments as JSON, and the row may have
changed by the time a worker picks it up. ``webhooks.py`` builds, signs, sends
and records; this module decides when an attempt runs.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from cms.publishing import webhooks
from cms.publishing.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at one webhook delivery; a failed one queues its own retry."""
    status = webhooks.attempt_delivery(delivery_id)
    if status == DeliveryStatus.PENDING:
        next_attempt_at = (
            WebhookDelivery.objects.filter(pk=delivery_id)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        enqueue_delivery(delivery_id, run_after=next_attempt_at)
    return status


def enqueue_delivery(delivery_id: int, *, run_after=None) -> None:
    """Put one attempt on the task queue.

    A failure here must not fail the editor's publish: the delivery row is
    already stored, and ``send_pending_webhooks`` queues it again.
    """
    queued = deliver_webhook
    # An attempt due now is queued as ready rather than deferred: SQLite compares
    # the queue's timestamps at millisecond precision, so "now" could still be
    # in the future for a worker polling within the same millisecond.
    if run_after is not None and run_after > timezone.now():
        if not queued.get_backend().supports_defer:
            # A backend that cannot wait (the immediate one) would retry at once
            # inside the request; leave the row for ``send_pending_webhooks``.
            return
        queued = queued.using(run_after=run_after)
    try:
        result = queued.enqueue(delivery_id)
    except Exception:
        logger.exception("Could not queue webhook delivery %s", delivery_id)
        return
    WebhookDelivery.objects.filter(pk=delivery_id).update(task_id=str(result.id))


def enqueue_after_commit(deliveries) -> None:
    """Queue each delivery once the transaction that stored it commits."""
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk))


def announce(event: str, payload: dict, *, page_type: str | None = None) -> list:
    """Record an event for every interested endpoint and queue the deliveries."""
    deliveries = webhooks.record_event(event, payload, page_type=page_type)
    enqueue_after_commit(deliveries)
    return deliveries


def send_test(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A signed test notice, queued like any other delivery."""
    delivery = webhooks.make_test_notice(endpoint)
    enqueue_after_commit([delivery])
    return delivery


def redeliver(delivery: WebhookDelivery) -> None:
    """Start a delivery over with a fresh set of attempts (admin "Redeliver")."""
    webhooks.reset_delivery(delivery)
    enqueue_after_commit([delivery])


def resume(endpoint: WebhookEndpoint) -> int:
    """An endpoint sends again: queue the notices held back while it was paused."""
    ids = webhooks.resume_paused(endpoint)
    for pk in ids:
        transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
    return len(ids)


def requeue_pending(*, stale_after: timedelta | None = None) -> int:
    """Queue again every due pending delivery that no live worker is sending.

    A worker sending a delivery holds a lease on it (``webhooks.claim``) for
    the attempt's deadline plus a margin. A worker killed mid-attempt leaves
    its task "running" for ever and its lease to lapse: once it has lapsed the
    delivery is queued again here, whatever its task says. A delivery with no
    lease counts as taken care of while its task waits in the queue, or runs
    and started less than ``stale_after`` ago (default: one lease), the moment
    between a worker taking the task and claiming the delivery.

    ``stale_after`` zero means no worker is running (the start of the only
    one, as ``make worker`` does): leases are void and everything due is
    queued at once. Paused deliveries of endpoints sending again are queued
    too. Queuing one delivery twice is harmless: only one task can claim it.
    """
    backend = deliver_webhook.get_backend()
    if stale_after is None:
        stale_after = webhooks.lease_duration()
    webhooks.resume_paused()
    now = timezone.now()
    pending = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    )
    if not stale_after:
        pending.filter(lease_until__isnull=False).update(
            claimed_by="", lease_until=None
        )
    requeued = 0
    for delivery in pending.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    ).iterator():
        lapsed = delivery.lease_until is not None
        if not lapsed and delivery.task_id and backend.supports_get_result:
            try:
                result = backend.get_result(delivery.task_id)
            except TaskResultDoesNotExist:
                result = None
            if result is not None and (
                result.status == TaskResultStatus.READY
                or (
                    result.status == TaskResultStatus.RUNNING
                    and result.started_at
                    and result.started_at > now - stale_after
                )
            ):
                continue
        if lapsed:
            # Void the lapsed lease, so the next sweep sees the queued task
            # rather than the lease and queues nothing more; unless a worker
            # claimed the delivery meanwhile.
            voided = WebhookDelivery.objects.filter(
                pk=delivery.pk, lease_until=delivery.lease_until
            ).update(claimed_by="", lease_until=None)
            if not voided:
                continue
            logger.warning(
                "Webhook delivery %s: the lease of %s lapsed at %s (worker gone?); "
                "queuing it again",
                delivery.pk,
                delivery.claimed_by,
                delivery.lease_until.isoformat(),
            )
        enqueue_delivery(delivery.pk)
        requeued += 1
    return requeued
