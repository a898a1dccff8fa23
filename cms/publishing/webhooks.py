"""Webhooks: what is sent when published content changes, and how one attempt goes.

This module builds payloads, records deliveries, and makes one signed attempt
(``signing.py`` signs; ``transport.py`` sends, to an address ``egress.py``
checked). Queueing attempts and their retries is ``tasks.py``'s
job. Delivery is at least once: a receiver that must act only once keys on
``X-Clinic-Webhook-Id`` (also ``delivery_id`` in the body).

Payloads carry identifiers and public URLs only: never page bodies, form
submissions or anything about a patient.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cms.core.visibility import is_public
from cms.publishing import egress, transport
from cms.publishing.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from cms.publishing.references import pages_using
from cms.publishing.signing import signed_request

logger = logging.getLogger(__name__)

# The delivery log keeps a status code and a short reason of ours, never what
# the receiver answered (that would let the log read out any address's reply).
MAX_REASON_CHARS = 200

# What the delivery log says about a notice held back because its endpoint's
# "sending" is unticked (an editor reads it there).
PAUSED_REASON = (
    "Not sent: sending to this address is paused. It will be sent when "
    "“Sending” is ticked again for the endpoint."
)

# A retry task may start a moment before the retry time it was queued for (the
# queue's clock and ours round differently); a claim tolerates that much.
DUE_TOLERANCE = timedelta(seconds=1)


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


def address_change(page, old_html_path: str | None) -> dict:
    """``old_html_path`` and ``descendants_moved`` for a publish or a move.

    Always both keys, so the payload's type is the same whether or not the
    address changed; ``old_html_path`` is ``None`` when it did not.
    """
    moved = bool(old_html_path) and page.get_descendants().live().exists()
    return {"old_html_path": old_html_path or None, "descendants_moved": moved}


def object_payload(instance, event: str, *, action: str, pages=None) -> dict:
    """A snippet changed: which one and the pages that show it, never its content.

    ``pages`` is ``references.pages_using(instance)`` worked out beforehand when the
    snippet is being deleted (afterwards the index no longer knows who used it).
    """
    listed, truncated = pages if pages is not None else pages_using(instance)
    return {
        "event": event,
        "timestamp": timezone.now().isoformat(),
        "type": instance._meta.label,
        "object_id": instance.pk,
        "action": action,
        "pages": listed,
        "pages_truncated": truncated,
    }


# Where the site-wide data is served (cms/api, "GET /api/v3/site/"). Written
# out rather than reversed: the route belongs to the API, which this app does
# not import (cms/core/tests/test_architecture.py).
SITE_API_PATH = "/api/v3/site/"


def site_api_url(site) -> str:
    base = settings.WAGTAILAPI_BASE_URL or site.root_url
    return f"{base.rstrip('/')}{SITE_API_PATH}"


def site_payload(site, *, reason: str) -> dict:
    """Something every page of ``site`` shows changed (settings, a menu)."""
    return {
        "event": WebhookEvent.SITE_CHANGED,
        "timestamp": timezone.now().isoformat(),
        "site_id": site.pk,
        "hostname": site.hostname,
        "root_url": site.root_url,
        "api_url": site_api_url(site),
        "reason": reason,
    }


def redirect_target(redirect) -> tuple[str | None, int | None]:
    """Where a redirect leads a visitor: a live, public page's path, or its link.

    A page of another site than the redirect's is given as an absolute URL. A
    page that is a draft or private leads nowhere a visitor may go, so then
    only the external link (usually empty) counts. Returns the target and the
    id of the page it is, if it is one.
    """
    page = redirect.redirect_page
    if page is not None and is_public(page):
        parts = page.get_url_parts()
        if parts:
            site_id, root_url, html_path = parts
            route = redirect.redirect_page_route_path
            path = html_path.rstrip("/") + route if route else html_path
            if redirect.site_id in (None, site_id):
                return path, page.pk
            return f"{root_url}{path}", page.pk
    return redirect.redirect_link or None, None


def redirect_payload(redirect, event: str, *, edit: bool = False) -> dict:
    """One redirect: its old path, where it leads, whether it is permanent."""
    site = redirect.site
    target, target_page_id = redirect_target(redirect)
    return {
        "event": event,
        "timestamp": timezone.now().isoformat(),
        "redirect_id": redirect.pk,
        "old_path": redirect.old_path,
        "site": {"id": site.pk, "hostname": site.hostname} if site else None,
        "target": target,
        "target_page_id": target_page_id,
        "permanent": redirect.is_permanent,
        "edit": edit,
    }


# Recording events


def record_event(event: str, payload: dict, *, page_type: str | None = None) -> list:
    """Store one delivery per interested endpoint; the caller queues them.

    The rows are written inside the caller's transaction (the publish itself),
    so an event exists exactly when the change it describes does.
    """
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if endpoint.wants(event, page_type)
    ]
    return [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            payload=payload,
            next_attempt_at=timezone.now(),
        )
        for endpoint in endpoints
    ]


def make_test_notice(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A harmless notice, so an administrator can check the receiver."""
    payload = {
        "event": WebhookEvent.TEST,
        "timestamp": timezone.now().isoformat(),
        "message": "Test notice from the clinic CMS.",
    }
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.TEST,
        payload=payload,
        next_attempt_at=timezone.now(),
    )


def reset_delivery(delivery: WebhookDelivery) -> None:
    """Start a delivery over with a fresh set of attempts (admin "Redeliver")."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])


def resume_paused(endpoint: WebhookEndpoint | None = None) -> list[int]:
    """Paused deliveries of endpoints sending again are waiting to send again.

    Returns their ids; the caller queues them. Their attempts were never made,
    so they start with the retries they had left.
    """
    paused = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PAUSED, endpoint__is_active=True
    )
    if endpoint is not None:
        paused = paused.filter(endpoint=endpoint)
    ids = list(paused.values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), last_error=""
    )
    return ids


# The lease: one worker at a time sends a delivery


def lease_duration() -> timedelta:
    """How long a claim holds: the attempt's whole deadline plus a margin."""
    return timedelta(
        seconds=settings.WEBHOOK_TIMEOUT_SECONDS + settings.WEBHOOK_LEASE_MARGIN_SECONDS
    )


def claim(delivery_id: int) -> str | None:
    """Claim a due, pending delivery for this attempt; its token, or None.

    One conditional UPDATE: it succeeds only while nobody holds a live lease,
    so of two workers racing for the same delivery (two tasks for it, e.g. one
    queued again by ``send_pending_webhooks``) exactly one wins, on SQLite (one
    writer at a time) as on PostgreSQL (the second UPDATE waits for the first
    and then re-checks the row). A delivery not yet due (its retry time is
    later) is not claimed either, so an extra task never makes an early retry.
    """
    token = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:100]
    now = timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(
            Q(next_attempt_at__isnull=True)
            | Q(next_attempt_at__lte=now + DUE_TOLERANCE)
        )
        .update(claimed_by=token, lease_until=now + lease_duration())
    )
    return token if claimed else None


# Sending


def post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """Send one attempt and return the status code, without following redirects.

    The address is checked (``egress.py``) and connected to as checked
    (``transport.py``); raises ``egress.Refused`` before any connection to an
    address webhooks may not go to, ``transport.SendFailed`` when no answer came.
    """
    return transport.post(url, body, headers, timeout)


def status_reason(code: int) -> str:
    """E.g. "HTTP 500 Internal Server Error": the standard phrase, not theirs."""
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = ""
    reason = f"HTTP {code} {phrase}".rstrip()
    if 300 <= code < 400:
        reason += " (redirects are not followed)"
    return reason


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt, capped."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** (attempt - 1), settings.WEBHOOK_RETRY_MAX_SECONDS)
    return timedelta(seconds=seconds)


def attempt_delivery(
    delivery_id: int, *, send: Callable[[str, bytes, dict, float], int] | None = None
) -> str:
    """Make one attempt; on failure schedule the next or give up and log it.

    Returns the delivery's status afterwards (``tasks.py`` queues the retry of
    a delivery still pending after an attempt), or ``"claimed"`` when another
    worker holds it or it is not due yet: nothing was done, and nothing is to
    be queued. A delivery that is no longer pending (delivered meanwhile,
    already given up, paused) is left alone, so a task that runs twice does not
    send twice. An endpoint whose sending is paused gets nothing: the delivery
    is marked paused, without using up an attempt, and waits for it to resume.
    """
    token = claim(delivery_id)
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return "missing"
    if token is None:
        if delivery.status == DeliveryStatus.PENDING:
            return "claimed"
        return delivery.status
    mine = WebhookDelivery.objects.filter(pk=delivery_id, claimed_by=token)
    if not delivery.endpoint.is_active:
        mine.update(
            status=DeliveryStatus.PAUSED,
            last_error=PAUSED_REASON,
            next_attempt_at=None,
            claimed_by="",
            lease_until=None,
        )
        logger.info(
            "Webhook delivery %s held back: sending to %s is paused",
            delivery.pk,
            delivery.endpoint.url,
        )
        return DeliveryStatus.PAUSED

    send = send or post
    delivery.attempts += 1
    body, headers = signed_request(delivery)
    error, code = "", None
    try:
        code = send(
            delivery.endpoint.url, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except (egress.Refused, transport.SendFailed) as exc:
        error = str(exc)
    except (OSError, ValueError) as exc:
        # Another sender (tests pass one): its message could quote the receiver.
        error = f"Network error ({type(exc).__name__})"
    else:
        if not 200 <= code < 300:
            error = status_reason(code)

    delivery.response_code = code
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = error[:MAX_REASON_CHARS]
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
        delivery.last_error = error[:MAX_REASON_CHARS]
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        logger.warning(
            "Webhook delivery %s to %s failed (attempt %s of %s), retrying: %s",
            delivery.pk,
            delivery.endpoint.url,
            delivery.attempts,
            settings.WEBHOOK_MAX_ATTEMPTS,
            error,
        )
    # Written only while the lease is still ours; the lease is released with it.
    written = mine.update(
        attempts=delivery.attempts,
        status=delivery.status,
        response_code=delivery.response_code,
        last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at,
        delivered_at=delivery.delivered_at,
        claimed_by="",
        lease_until=None,
    )
    if not written:
        # The attempt outlived its lease and another worker took the delivery
        # over: its outcome is the one the log keeps.
        logger.warning(
            "Webhook delivery %s: the lease lapsed during the attempt; "
            "leaving the outcome to the worker that took it over",
            delivery.pk,
        )
        return "claimed"
    return delivery.status
