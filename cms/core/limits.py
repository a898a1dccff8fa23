"""Request rate limits for the doors attackers knock on, counted in the shared cache.

The counters are django-ratelimit's fixed windows, kept in the ``limits`` cache:
Redis when ``REDIS_URL`` is set, so every app server and worker counts together,
and a directory on disk otherwise, shared by the processes of one machine. A
process-local cache would let an attacker multiply the limit by the number of
workers.

Rates are settings (``RATE_LIMITS``, "count/period" as django-ratelimit reads
them: ``5/h``, ``10/m``), so a deployment can tune them without code. If the
cache itself is down, limits are skipped and logged rather than turning every
request into a 500: a limit protects the site, it must never be the outage.
"""

import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The visitor's address, trusting ``X-Forwarded-For`` only from our proxies.

    ``TRUSTED_PROXY_COUNT`` says how many proxies (CDN, load balancer) sit in
    front of the app servers; each appends the address it saw, so the client is
    that many entries from the right. Without proxies the header is the client's
    own claim and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - a key, not a bind
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


@dataclass(frozen=True)
class Limited:
    """A request over its limit: how long the client should wait, in seconds."""

    retry_after: int


def hit(request, group: str, *, count: bool = True, key: str = "ip") -> Limited | None:
    """Count one request of ``group`` from this client; ``Limited`` once over the rate.

    ``count=False`` only looks, for doors that count failures rather than
    attempts (a wrong API token counts, a right one does not).
    """
    rate = settings.RATE_LIMITS.get(group)
    if not rate:
        return None
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=count)
    except Exception:  # the cache is down: fail open, loudly
        logger.warning(
            "Rate limit %s skipped: the limits cache is unavailable",
            group,
            exc_info=True,
        )
        return None
    if not usage:
        return None
    # Counting: over once this request makes more than the rate allows. Looking:
    # over once the failures so far have used the whole allowance.
    over = usage["should_limit"] if count else usage["count"] >= usage["limit"]
    if not over:
        return None
    return Limited(retry_after=max(1, int(usage["time_left"])))
