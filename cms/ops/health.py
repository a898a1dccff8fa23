"""Liveness and readiness, for load balancers, process managers and monitoring.

``/healthz/`` (liveness) answers 200 whenever the process can run a view: it
touches no database, cache or storage, so a restart is only ever asked for
when restarting helps. Varnish's probes use it (deploy/varnish/default.vcl):
an app server whose Redis is down still serves pages, and must keep traffic.

``/readyz/`` (readiness) runs django-health-check's probes of what the site
depends on (database, Redis or the local caches, media storage) and our queue
check, and answers 503 naming each failing part. It is for monitoring and for
deploy gates (is the new release ready before traffic moves to it), not for
taking servers out of the load balancer: one shared dependency down would
otherwise take every server out at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime

import redis
from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class RedisPing(HealthCheck):
    """Redis answers PING within a second (the caches hide an outage, this does not)."""

    url: str = dataclasses.field(repr=False, default="")
    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=1), repr=False
    )

    def run(self):
        seconds = self.timeout.total_seconds()
        client = redis.Redis.from_url(
            self.url, socket_connect_timeout=seconds, socket_timeout=seconds
        )
        try:
            client.ping()
        except redis.RedisError as error:
            raise ServiceUnavailable(f"unreachable ({type(error).__name__})") from error
        finally:
            client.close()


@dataclasses.dataclass
class QueueDepth(HealthCheck):
    """Fewer than ``limit`` tasks wait for the worker (more: it is stuck or gone)."""

    limit: int = 1000

    def run(self):
        waiting = DBTaskResult.objects.ready().count()
        if waiting >= self.limit:
            raise ServiceUnavailable(
                f"{waiting} tasks are waiting for the worker (limit {self.limit})"
            )


def readiness_checks() -> dict[str, HealthCheck]:
    """The probes, by the name the readiness answer shows."""
    checks: dict[str, HealthCheck] = {"database": Database()}
    if settings.REDIS_URL:
        checks["redis"] = RedisPing(url=settings.REDIS_URL)
    else:
        checks["cache"] = Cache(alias="pages")
    checks["storage"] = Storage()
    checks["queue"] = QueueDepth(limit=settings.HEALTH_QUEUE_MAX_DEPTH)
    return checks


def liveness(request):
    """200 while the process runs; depends on nothing else on purpose."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


async def readiness(request):
    """200 when every dependency answers, else 503 with each part's state."""
    checks = readiness_checks()
    results = await asyncio.gather(*(check.get_result() for check in checks.values()))
    parts = {
        name: "ok" if result.error is None else str(result.error)
        for name, result in zip(checks, results, strict=True)
    }
    failing = [
        name for name, result in zip(checks, results, strict=True) if result.error
    ]
    response = JsonResponse(
        {
            "status": "unavailable" if failing else "ok",
            "failing": failing,
            "checks": parts,
        },
        status=503 if failing else 200,
    )
    add_never_cache_headers(response)
    return response
