"""Anonymous API reads from the cache, with an ETag that needs no rendering.

The answer to an anonymous ``GET /api/v3/...`` depends only on the content,
the day (review status: "due", "overdue") and the request itself. So it is
kept under a key made of exactly those: the content version the page cache
uses (``cms/core/cachestore.py``: a generation token every publish,
unpublish, move, snippet or settings change replaces, plus the local date),
the scheme, host, path and query, and the ``Accept`` header. The ``ETag`` is a
digest of that key, so a matching ``If-None-Match`` is answered ``304``
straight away: no view, no query, no stored body read. Because any change
replaces the generation, the next read after a publish has a new key (a new
ETag, a fresh render) in every process.

What is never kept: answers to a bearer token (they may hold drafts), the
preview endpoint, anything but a plain 200 (errors stay uncached, so a fix is
seen at once), and answers setting cookies. ``Origin`` is not in the key: the
body never depends on it, and the CORS middleware (before this one) adds the
``Access-Control-*`` headers and ``Vary: origin`` to every answer, cached or
not, for the origin that asked.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import get_conditional_response, patch_vary_headers

from cms.core import cachestore

CACHE_HEADER = "X-API-Cache"
PREVIEW_PREFIX = "/api/v3/preview/"
# What an anonymous answer varies on besides its URL (see ``vary``).
VARY = ("Accept", "Authorization")


def is_private(request) -> bool:
    """Token holders and previews: answers that may contain drafts."""
    return "HTTP_AUTHORIZATION" in request.META or request.path.startswith(
        PREVIEW_PREFIX
    )


def vary(response) -> None:
    patch_vary_headers(response, VARY)


def public_headers(response, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
    vary(response)


class CachedRead:
    """One anonymous read: its key, its ETag, and its stored answer if any.

    Built before the view runs, so the generation is read first: a change that
    commits while the answer renders leaves that answer under the old key,
    unreachable, never served as current.
    """

    def __init__(self, request):
        self.request = request
        self.version = cachestore.content_version()
        self.key = ":".join(
            (
                "api",
                self.version,
                request.scheme,
                request.get_host(),
                request.META.get("HTTP_ACCEPT", ""),
                request.get_full_path(),
            )
        )
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        self.etag = f'"{digest}"'

    @classmethod
    def for_request(cls, request) -> CachedRead | None:
        """A cached read, or ``None`` when this request is not served from cache."""
        if settings.API_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if is_private(request):
            return None
        return cls(request)

    def not_modified(self) -> HttpResponseNotModified | None:
        """A 304 when the caller already holds this answer, decided from the key."""
        response = get_conditional_response(self.request, etag=self.etag)
        if response is None:
            return None
        public_headers(response, self.etag)
        response[CACHE_HEADER] = "hit"
        return response

    def stored(self):
        answer = cachestore.fetch(self.version, self.key)
        if answer is None:
            return None
        response = answer.response()
        response[CACHE_HEADER] = "hit"
        return response

    def keep(self, response):
        """Give a fresh answer its ETag and headers, and store it if it may be."""
        if response.status_code != 200 or response.streaming:
            return response
        public_headers(response, self.etag)
        if self.request.method == "GET" and not response.cookies:
            response[CACHE_HEADER] = "miss"
            cachestore.store(
                self.version, self.key, response, settings.API_CACHE_SECONDS
            )
        return response
