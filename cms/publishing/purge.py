"""Cache purging on publish: our own page cache, and a CDN when one is configured.

The page cache keeps whole HTML pages for anonymous visitors. Every key carries
a "generation" token and any content change replaces the token, so the whole
cache is emptied at once. Purging URL by URL would not be enough: a published
title also appears in menus, listings, breadcrumbs and related-study cards on
other pages, and clinical corrections must never be served stale anywhere.
The token is replaced right after the change commits, in the process that made
it, so the very next request renders fresh HTML. The store itself (the token,
the date in every key, each process's own copies) is ``cachestore.py``; the
API keeps its anonymous answers in it too (``cms/api/cache.py``).
"""

from __future__ import annotations

import logging
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache
from wagtail.models import Site

from cms.core import cachestore

logger = logging.getLogger(__name__)

CACHE_HEADER = "X-Page-Cache"
# Never cached: the admin, the API (cms/api/cache.py keeps its own answers),
# files, Wagtail's login and password forms, and anything POSTed.
UNCACHED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/documents/",
    "/media/",
    "/_util/",
    # Health checks (cms/ops/health.py) must report this process, never a copy.
    "/healthz/",
    "/readyz/",
)
# A visitor with a session or pending messages may see personal content.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def invalidate_page_cache() -> None:
    """Forget every cached page and API answer (old entries expire unread)."""
    cachestore.invalidate()


def page_cache_key(request, version: str) -> str:
    """The key of ``request``'s page under content ``version``."""
    return (
        f"page:{version}:{request.scheme}:{request.get_host()}:"
        f"{request.get_full_path()}"
    )


def request_is_cacheable(request) -> bool:
    """Decided from the request alone, before any session or user is loaded.

    Without a session cookie nobody is signed in (the site has no other way
    to sign in on public pages), so no session or user lookup is needed to
    know that the visitor is anonymous.
    """
    return may_answer_from_cache(
        request.method, request.path, request.META, request.COOKIES
    )


def may_answer_from_cache(method: str, path: str, meta, cookies) -> bool:
    """The rule itself, on the request's parts (the WSGI front has no request)."""
    if settings.PAGE_CACHE_SECONDS <= 0 or method not in ("GET", "HEAD"):
        return False
    if path.startswith(UNCACHED_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in meta:
        return False
    return not any(name in cookies for name in PERSONAL_COOKIES)


def _response_is_cacheable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    # A view that signed someone in, or wrote to the session, or a page that
    # carries a CSRF token (forms, the password prompt of a protected page),
    # is specific to this visitor.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


class AnonymousPageCacheMiddleware:
    """Serve anonymous page views from the page cache, before sessions and users.

    Sits before the session and authentication middleware (see MIDDLEWARE):
    whether a request may be answered from the cache is decided from the
    request alone (``request_is_cacheable``), so a hit loads no session, no
    user and runs no query. A miss renders through the rest of the stack and
    is stored as it left it; the middleware before this one (security
    headers, CSP, permissions policy, CORS) add their headers to hits and
    misses alike, so a cached answer carries exactly a rendered one's.

    Responses say ``X-Page-Cache: hit`` or ``miss`` so a purge can be checked
    from outside.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)
        # Read the generation before rendering: a change that commits while
        # this page renders makes the stored copy unreachable, never stale.
        try:
            version = cachestore.content_version()
            key = page_cache_key(request, version)
            cached = cachestore.fetch(version, key)
        except Exception:
            # The page cache is an optimisation: if its store is down, render
            # (the Redis backend, cms/ops/cache.py, already fails open itself).
            logger.warning("Page cache unavailable; serving uncached", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            response = cached.response()
            response[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _response_is_cacheable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            response[CACHE_HEADER] = "miss"
            try:
                cachestore.store(version, key, response, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unavailable; page not kept", exc_info=True)
        return response


# CDN purge (wagtail.contrib.frontend_cache), only when WAGTAILFRONTENDCACHE is set.
#
# A change purges the CDN right after it commits, in the process that made it
# (a web request, or the worker for a scheduled publish), so the very next
# anonymous request through the CDN is fresh. Only if that fails (the CDN is
# down or slow) is the purge queued, and the worker sends it again later.


def cdn_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


class PurgeFailed(Exception):
    """The CDN did not confirm a purge; the caller queues it for the worker."""


class VarnishBanBackend(HTTPBackend):
    """Wagtail's HTTP purge backend for Varnish: one site-wide ``BAN``, with a deadline.

    The CDN follows the page cache's rule (see the top of this module): any
    content change empties it for the whole site, because a title or a study
    made private also shows in menus, listings, breadcrumbs and citations of
    other pages, and Varnish keys on the URL *with* its query string (a purge
    of ``/api/v3/pages/`` would leave ``?type=...`` and ``/search/?q=...``).
    So a batch of URLs becomes one ``BAN`` of everything per host they name
    (deploy/varnish/default.vcl accepts it from loopback only); a clinic's
    site is small and is re-filled from the app servers in seconds. Unlike
    Wagtail's backend, it gives up after ``TIMEOUT`` seconds (a purge runs in
    an editor's request) and raises ``PurgeFailed`` instead of only logging,
    so the purge can be queued for another try.
    """

    #: Matches every path with any query string (no backslash: Varnish's ban
    #: parser would read one).
    EVERYTHING = "^/"

    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 2))
        super().__init__(params)

    def purge(self, url: str) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        for host in dict.fromkeys(urlsplit(url).netloc for url in urls):
            self.ban_site(host)

    def ban_site(self, host: str) -> None:
        request = Request(  # noqa: S310 - the configured CDN address, http(s) only
            urlunsplit([self.cache_scheme, self.cache_netloc, "/", "", ""]),
            method="BAN",
            headers={
                "Host": host,
                "X-Ban-Url": self.EVERYTHING,
                "User-Agent": "clinic-cms-purge",
            },
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except (URLError, OSError) as error:
            raise PurgeFailed(
                f"BAN of {host} on {self.cache_netloc}: {error}"
            ) from error
        if status >= 300:
            raise PurgeFailed(f"BAN of {host} on {self.cache_netloc}: HTTP {status}")


def page_urls(page, *, old_html_path: str | None = None) -> list[str]:
    """The page's public URLs and the API URLs that show it.

    Each is purged with every query string (``VarnishBanBackend``), so the
    lists' filtered and searched variants go too.
    """
    parts = page.get_url_parts()
    if not parts:
        return []
    _site_id, root_url, html_path = parts
    root = root_url.rstrip("/")
    urls = [
        root + html_path.rstrip("/") + "/" + path.lstrip("/")
        for path in page.specific_deferred.get_cached_paths()
    ]
    if old_html_path:
        urls.append(root + old_html_path)
    return list(
        dict.fromkeys(urls + api_list_urls(root) + [api_detail_url(root, page)])
    )


def api_root(site_root: str) -> str:
    return (settings.WAGTAILAPI_BASE_URL or site_root).rstrip("/")


def api_detail_url(site_root: str, page) -> str:
    detail = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
    return api_root(site_root) + detail


def api_list_urls(site_root: str) -> list[str]:
    """The v3 page list and the typed lists: every list a page may appear in."""
    paths = [
        reverse("wagtailapi_v3:list_pages"),
        *settings.FRONTEND_CACHE_API_LIST_PATHS,
    ]
    return [api_root(site_root) + path for path in paths]


def search_urls(page) -> list[str]:
    """Where ``page``'s site shows search results: /search/ and the API lists."""
    parts = page.get_url_parts()
    if not parts:
        return []
    root = parts[1].rstrip("/")
    return [root + reverse("search"), *api_list_urls(root)]


def site_urls(page) -> list[str]:
    """Every live page of ``page``'s site with its API URLs.

    For a change that can alter what any page shows (a page made private is
    named by the pages that cite it); a clinic's site is small enough.
    """
    site = page.get_site()
    if site is None:
        return page_urls(page)
    pages = site.root_page.get_descendants(inclusive=True).live().specific()
    urls = [url for each in pages for url in page_urls(each)]
    return list(dict.fromkeys(urls))


def site_root_urls() -> list[str]:
    """The root URL of every site: enough for the site-wide ``BAN`` of each host."""
    return [site.root_url.rstrip("/") + "/" for site in Site.objects.all()]


def purge_urls_from_cdn(urls: list[str]) -> None:
    """Purge ``urls`` from the CDN now; queue the purge if that fails.

    Called after the change has committed (``transaction.on_commit``) and
    after the page cache was emptied, so whatever the CDN fetches next is
    fresh. The first failure stops the attempt (a CDN that is down should not
    cost an editor one timeout per URL); the whole batch is then queued and
    Wagtail's frontend-cache task sends it again on the worker. The CDN's own
    copies expire by themselves too: a publish never fails because of it.
    """
    if not urls:
        return
    try:
        for backend in get_backends().values():
            backend.purge_batch(
                [
                    url
                    for url in urls
                    if backend.invalidates_hostname(urlsplit(url).netloc)
                ]
            )
        return
    except Exception as error:  # noqa: BLE001 - any failure: queue and go on
        logger.warning("CDN purge failed, queued for the worker: %s", error)
    try:
        purge_urls_from_cache(urls)
    except Exception:
        logger.exception("Could not queue a CDN purge of %s URLs", len(urls))


def search_index_updated(page) -> None:
    """The worker re-indexed ``page``: cached search results may now be wrong.

    Search pages are cached like any page, and the index is updated on the
    worker after the publish that changed it, so the publish's own purge came
    too early; this one comes after the index has the new text.
    """
    invalidate_page_cache()
    if cdn_configured():
        purge_urls_from_cdn(search_urls(page))
