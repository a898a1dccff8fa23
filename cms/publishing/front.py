"""The page cache in front of Django: cached pages answered at the WSGI door.

``AnonymousPageCacheMiddleware`` (``purge.py``) answers a cached page before
sessions and users are loaded, but a hit still pays for Django's request
handling: the request-started signal, every middleware before it on the way
in and out (security headers, CSP, permissions policy, CORS, the API guard,
WhiteNoise's lookup) and the response conversion. On a cached page that was
about half of the time a trivial WSGI app needs to send the same bytes.

``PageCacheFront`` wraps the WSGI application (``cms/wsgi.py``) and keeps the
answer exactly as it left Django, headers from every middleware included. A
request is answered here only when the very same rules say so:

- the request is cacheable (``purge.request_is_cacheable``: GET or HEAD, no
  session or messages cookie, no ``Authorization``, not under an uncached
  prefix) and its host is one ``ALLOWED_HOSTS`` accepts;
- the stored answer was kept under the current content generation and date
  (``cachestore.content_version``), like every page and API answer, so a
  publish anywhere is seen on the very next request in every process;
- Django's own page cache judged the answer cacheable (it carries
  ``X-Page-Cache``), it is a ``200`` and it sets no cookie.

Anything else goes to Django untouched. A store that is down means render.
"""

from __future__ import annotations

import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest

from cms.ops.requestlog import front_log_request
from cms.publishing import cachestore
from cms.publishing.purge import CACHE_HEADER, page_cache_key, request_is_cacheable

logger = logging.getLogger(__name__)

#: Keys of answers kept with every header Django added (``purge.py`` keeps the
#: answer as it left the page-cache middleware, before the outer ones ran).
KEY_PREFIX = "front:"
OK = f"200 {HTTPStatus.OK.phrase}"


def _cacheable_request(environ) -> WSGIRequest | None:
    """The request, when the page cache may answer it; ``None`` sends it to Django."""
    request = WSGIRequest(environ)
    if not request_is_cacheable(request):
        return None
    try:
        request.get_host()
    except DisallowedHost:
        return None  # Django answers it with its 400
    return request


def _replace(headers, name: str, value: str) -> list[tuple[str, str]]:
    lowered = name.lower()
    return [(k, v) for k, v in headers if k.lower() != lowered] + [(name, value)]


class PageCacheFront:
    """WSGI middleware answering cached anonymous pages before Django runs."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if settings.PAGE_CACHE_SECONDS <= 0:
            return self.application(environ, start_response)
        started = time.perf_counter()
        request = _cacheable_request(environ)
        if request is None:
            return self.application(environ, start_response)
        try:
            version = cachestore.content_version()
            key = KEY_PREFIX + page_cache_key(request, version)
            answer = cachestore.fetch(version, key)
        except Exception:
            logger.warning("Page cache unavailable; serving uncached", exc_info=True)
            return self.application(environ, start_response)
        if answer is not None:
            return self._serve(request, start_response, answer, started)
        return self._render_and_keep(environ, start_response, version, key)

    def _serve(self, request, start_response, answer, started):
        start_response(OK, list(answer.headers))
        front_log_request(request.method, request.path, 200, started, page_cache="hit")
        if request.method == "HEAD":
            return []
        return [answer.content]

    def _render_and_keep(self, environ, start_response, version, key):
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.application(environ, capture)
        headers = seen.get("headers") or []
        names = {name.lower() for name, _value in headers}
        if (
            environ["REQUEST_METHOD"] != "GET"
            or not seen.get("status", "").startswith("200")
            or CACHE_HEADER.lower() not in names
            or "set-cookie" in names
        ):
            return result
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()  # Django's request_finished: connections go back
        kept = _replace(headers, "Content-Length", str(len(content)))
        kept = _replace(kept, CACHE_HEADER, "hit")
        answer = cachestore.StoredAnswer(
            status=200,
            headers=tuple(kept),
            content=content,
            expires=time.time() + settings.PAGE_CACHE_SECONDS,
        )
        try:
            cachestore.store_answer(version, key, answer)
        except Exception:
            logger.warning("Page cache unavailable; page not kept", exc_info=True)
        return [content]
