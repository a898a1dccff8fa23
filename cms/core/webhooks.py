"""Signed webhooks: what is sent when published content changes, and how.

A receiver checks a notice like this (the README has a full example)::

    signed = f"{headers['X-Clinic-Webhook-Timestamp']}.".encode() + body
    expected = "v1=" + hmac.new(secret, signed, hashlib.sha256).hexdigest()
    hmac.compare_digest(expected, headers["X-Clinic-Webhook-Signature"])

and rejects timestamps more than five minutes old, so a captured notice cannot
be replayed later. Delivery is at least once: a receiver that must act only once
keys on ``X-Clinic-Webhook-Id`` (also ``delivery_id`` in the body).

Payloads carry identifiers and public URLs only: never page bodies, form
submissions or anything about a patient.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cms.core.models.webhooks import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Clinic-Webhook-Signature"
TIMESTAMP_HEADER = "X-Clinic-Webhook-Timestamp"
ID_HEADER = "X-Clinic-Webhook-Id"
EVENT_HEADER = "X-Clinic-Webhook-Event"
SIGNATURE_VERSION = "v1"
# How old a timestamp a receiver should accept; documented, used by verify().
REPLAY_WINDOW_SECONDS = 300
# Enough of a receiver's reply to explain a failure in the delivery log.
MAX_ERROR_CHARS = 500


def new_secret() -> str:
    return secrets.token_urlsafe(32)


# Payloads


def page_payload(page, event: str, *, revision=None, **extra) -> dict:
    """Identifiers and public addresses of a page, for any page event."""
    site_id, root_url, html_path = page.get_url_parts() or (None, None, None)
    if revision is None:
        # After an unpublish there is no live revision: report the latest one.
        revision_id = page.live_revision_id or page.latest_revision_id
    else:
        revision_id = revision.pk
    return {
        "event": event,
        "timestamp": timezone.now().isoformat(),
        "page_id": page.pk,
        "type": page.specific_class._meta.label,
        "title": page.title,
        "url": f"{root_url}{html_path}" if root_url and html_path else None,
        "html_path": html_path,
        "api_detail_url": api_detail_url(page.pk, root_url),
        "revision_id": revision_id,
        **extra,
    }


def api_detail_url(page_id: int, root_url: str | None) -> str:
    """The stock v3 detail address; typed routes can be added beside it later."""
    path = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page_id})
    base = settings.WAGTAILAPI_BASE_URL or root_url or ""
    return f"{base.rstrip('/')}{path}"


def object_payload(instance, event: str, *, action: str) -> dict:
    """A snippet or setting changed: which one, never what it now says."""
    return {
        "event": event,
        "timestamp": timezone.now().isoformat(),
        "type": instance._meta.label,
        "object_id": instance.pk,
        "action": action,
    }


# Signing


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", so the time cannot be swapped."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def verify(
    secret: str,
    body: bytes,
    signature: str,
    timestamp: str,
    *,
    now: float | None = None,
) -> bool:
    """What a receiver does: right signature, and not older than the window."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - sent_at) > REPLAY_WINDOW_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature or "")


def signed_request(delivery: WebhookDelivery, *, now: float | None = None):
    """The body and headers of one attempt; each attempt is signed afresh."""
    body = json.dumps(
        {**delivery.payload, "delivery_id": delivery.pk},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    timestamp = int(time.time() if now is None else now)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "clinic-cms-webhooks/1",
        EVENT_HEADER: delivery.event,
        ID_HEADER: str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, timestamp, body),
    }
    return body, headers


# Recording events


def record_event(event: str, payload: dict, *, page_type: str | None = None) -> list:
    """Store one delivery per interested endpoint, and queue them after commit.

    The rows are written inside the caller's transaction (the publish itself),
    so an event exists exactly when the change it describes does.
    """
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if endpoint.wants(event, page_type)
    ]
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            payload=payload,
            next_attempt_at=timezone.now(),
        )
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk))
    return deliveries


def send_test(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A harmless signed notice, so an administrator can check the receiver."""
    payload = {
        "event": WebhookEvent.TEST,
        "timestamp": timezone.now().isoformat(),
        "message": "Test notice from the clinic CMS.",
    }
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.TEST,
        payload=payload,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return delivery


def redeliver(delivery: WebhookDelivery) -> None:
    """Start a delivery over with a fresh set of attempts (admin "Redeliver")."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))


def enqueue_delivery(delivery_id: int, *, run_after=None) -> None:
    """Put one attempt on the task queue.

    A failure here must not fail the editor's publish: the delivery row is
    already stored, and ``send_pending_webhooks`` queues it again.
    """
    from cms.core.tasks import deliver_webhook

    task = deliver_webhook
    # An attempt due now is queued as ready rather than deferred: SQLite compares
    # the queue's timestamps at millisecond precision, so "now" could still be
    # in the future for a worker polling within the same millisecond.
    if run_after is not None and run_after > timezone.now():
        if not task.get_backend().supports_defer:
            # A backend that cannot wait (the immediate one) would retry at once
            # inside the request; leave the row for ``send_pending_webhooks``.
            return
        task = task.using(run_after=run_after)
    try:
        result = task.enqueue(delivery_id)
    except Exception:
        logger.exception("Could not queue webhook delivery %s", delivery_id)
        return
    WebhookDelivery.objects.filter(pk=delivery_id).update(task_id=str(result.id))


# Sending


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: following it would turn the POST into a GET."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """POST and return the status code; raises on network errors and non-2xx."""
    # The admin form allows only https (http for loopback); refuse anything
    # else here too, so a file: or ftp: address can never be opened.
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"Not a web address: {url}")
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
    with _opener.open(request, timeout=timeout) as response:
        return response.status


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt, capped."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** (attempt - 1), settings.WEBHOOK_RETRY_MAX_SECONDS)
    return timedelta(seconds=seconds)


def attempt_delivery(
    delivery_id: int, *, send: Callable[[str, bytes, dict, float], int] | None = None
) -> str:
    """Make one attempt; on failure schedule the next or give up and log it.

    Returns the delivery's status afterwards. A delivery that is no longer
    pending (delivered meanwhile, or already given up) is left alone, so a
    task that runs twice does not send twice.
    """
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery.status if delivery else "missing"

    send = send or post
    delivery.attempts += 1
    body, headers = signed_request(delivery)
    error, code = "", None
    try:
        code = send(
            delivery.endpoint.url, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except urllib.error.HTTPError as exc:
        code = exc.code
        reply = exc.read(MAX_ERROR_CHARS).decode("utf-8", "replace")
        error = f"HTTP {exc.code} {exc.reason}: {reply}".strip()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    else:
        if not 200 <= code < 300:
            error = f"HTTP {code}"

    delivery.response_code = code
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = error[:MAX_ERROR_CHARS]
        delivery.next_attempt_at = None
        logger.error(
            "Webhook delivery %s (%s) to %s failed after %s attempts: %s",
            delivery.pk,
            delivery.event,
            delivery.endpoint.url,
            delivery.attempts,
            error,
        )
    else:
        delivery.last_error = error[:MAX_ERROR_CHARS]
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        logger.warning(
            "Webhook delivery %s to %s failed (attempt %s of %s), retrying: %s",
            delivery.pk,
            delivery.endpoint.url,
            delivery.attempts,
            settings.WEBHOOK_MAX_ATTEMPTS,
            error,
        )
    delivery.save(
        update_fields=[
            "attempts",
            "status",
            "response_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    if delivery.status == DeliveryStatus.PENDING:
        enqueue_delivery(delivery.pk, run_after=delivery.next_attempt_at)
    return delivery.status


def requeue_pending(*, stale_after: timedelta | None = None) -> int:
    """Queue again every pending delivery whose task is gone or stuck.

    A worker killed mid-attempt leaves its task "running" for ever; the
    delivery row is still pending, so it is found here and sent. A task counts
    as stuck once it has run for ``stale_after``; when no other worker is
    running (worker start with a single worker, as ``make worker`` does) pass
    zero, so a delivery the last worker died on is retried at once.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    from cms.core.tasks import deliver_webhook

    backend = deliver_webhook.get_backend()

    if stale_after is None:
        stale_after = timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 60)
    now = timezone.now()
    requeued = 0
    pending = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    )
    for delivery in pending.iterator():
        if delivery.task_id and backend.supports_get_result:
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
        enqueue_delivery(delivery.pk)
        requeued += 1
    return requeued
