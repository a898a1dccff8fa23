"""The page cache in front of Django: cached pages answered at the WSGI door.

``AnonymousPageCacheMiddleware`` (``purge.py``) answers a cached page before
sessions and users are loaded, but a hit still pays for Django's request
handling: the request-started signal, building the request, every middleware
before it on the way in and out (security headers, CSP, permissions policy,
CORS, the API guard, WhiteNoise's lookup) and the response conversion. On a
cached page that was about half of what a trivial WSGI app needs to send the
same bytes.

``PageCacheFront`` wraps the WSGI application (``cms/wsgi.py``) and keeps the
answer exactly as it left Django, every middleware's headers included. It
answers a request itself only when:

- the page cache's own rule allows it (``purge.may_answer_from_cache``: GET or
  HEAD, no session or messages cookie, no ``Authorization``, not under an
  uncached prefix);
- an answer is kept for this very request under the current content
  generation and date (``cachestore.content_version``, shared with every page
  and API answer), so a publish anywhere is seen on the very next request in
  every process. "This very request" is the raw scheme, host and path as the
  server passed them: an answer is kept only after Django served it, so a
  host Django refuses never has one;
- Django's page cache judged the answer cacheable when it was made (it
  carries ``X-Page-Cache``), and it was a ``200`` that set no cookie.

Anything else goes to Django untouched; a store that is down means render.
"""

from __future__ import annotations

import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.http.cookie import parse_cookie

from cms.core import cachestore
from cms.ops.requestlog import front_log_request
from cms.publishing.purge import CACHE_HEADER, may_answer_from_cache

logger = logging.getLogger(__name__)

OK = f"200 {HTTPStatus.OK.phrase}"
#: What, besides the path, can change the answer Django gives: the scheme and
#: host as the server and any proxy header name them.
KEY_ENVIRON = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
)
NO_COOKIES: dict[str, str] = {}


def _request_key(environ, version: str) -> str:
    where = "|".join(environ.get(name, "") for name in KEY_ENVIRON)
    return (
        f"front:{version}:{where}:{environ.get('SCRIPT_NAME', '')}"
        f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
    )


def _may_answer(environ) -> bool:
    raw_cookies = environ.get("HTTP_COOKIE")
    cookies = parse_cookie(raw_cookies) if raw_cookies else NO_COOKIES
    return may_answer_from_cache(
        environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ, cookies
    )


def _replace(headers, name: str, value: str) -> list[tuple[str, str]]:
    lowered = name.lower()
    return [(k, v) for k, v in headers if k.lower() != lowered] + [(name, value)]


class PageCacheFront:
    """WSGI middleware answering cached anonymous pages before Django runs."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        if not _may_answer(environ):
            return self.application(environ, start_response)
        try:
            version = cachestore.content_version()
            key = _request_key(environ, version)
            answer = cachestore.fetch(version, key)
        except Exception:
            logger.warning("Page cache unavailable; serving uncached", exc_info=True)
            return self.application(environ, start_response)
        if answer is None:
            return self._render_and_keep(environ, start_response, version, key)
        start_response(OK, list(answer.headers))
        method = environ["REQUEST_METHOD"]
        front_log_request(
            method, environ.get("PATH_INFO", ""), 200, started, page_cache="hit"
        )
        return [] if method == "HEAD" else [answer.content]

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
