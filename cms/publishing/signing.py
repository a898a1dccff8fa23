"""Signing webhook notices, and what a receiver does to check one.

A receiver checks a notice like this (``docs/webhooks.md`` has a full example)::

    signed = f"{headers['X-Clinic-Webhook-Timestamp']}.".encode() + body
    expected = "v1=" + hmac.new(secret, signed, hashlib.sha256).hexdigest()
    hmac.compare_digest(expected, headers["X-Clinic-Webhook-Signature"])

and rejects timestamps more than five minutes old, so a captured notice cannot
be replayed later. Each attempt is signed afresh, with its own timestamp.
"""

import hashlib
import hmac
import json
import secrets
import time

SIGNATURE_HEADER = "X-Clinic-Webhook-Signature"
TIMESTAMP_HEADER = "X-Clinic-Webhook-Timestamp"
ID_HEADER = "X-Clinic-Webhook-Id"
EVENT_HEADER = "X-Clinic-Webhook-Event"
SIGNATURE_VERSION = "v1"
# How old a timestamp a receiver should accept; documented, used by verify().
REPLAY_WINDOW_SECONDS = 300


def new_secret() -> str:
    return secrets.token_urlsafe(32)


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


def signed_request(delivery, *, now: float | None = None):
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
