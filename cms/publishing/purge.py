"""Cache purging on publish: our own page cache, and a CDN when one is configured.

The page cache keeps whole HTML pages for anonymous visitors. Every key carries
a "generation" token and any content change replaces the token, so the whole
cache is emptied at once. Purging URL by URL would not be enough: a published
title also appears in menus, listings, breadcrumbs and related-study cards on
other pages, and clinical corrections must never be served stale anywhere.
The token is replaced right after the change commits, in the process that made
it, so the very next request renders fresh HTML.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
CACHE_HEADER = "X-Page-Cache"
# Never cached: the admin, the API (its own ETags), files, and anything POSTed.
UNCACHED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/documents/",
    "/media/",
    # Health checks (cms/ops/health.py) must report this process, never a copy.
    "/healthz/",
    "/readyz/",
)
# A visitor with a session or pending messages may see personal content.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def page_cache():
    return caches["pages"]


def generation() -> str:
    cache = page_cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = secrets.token_hex(8)
        # add() so two processes starting together agree on one token.
        cache.add(GENERATION_KEY, token, timeout=None)
        token = cache.get(GENERATION_KEY, token)
    return token


def invalidate_page_cache() -> None:
    """Forget every cached page (old entries simply expire unread)."""
    page_cache().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def _cache_key(request, token: str) -> str:
    return (
        f"page:{token}:{request.scheme}:{request.get_host()}:{request.get_full_path()}"
    )


def _request_is_cacheable(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(UNCACHED_PREFIXES):
        return False
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return False
    user = getattr(request, "user", None)
    return not (user and user.is_authenticated)


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
    # A page that wrote to the session, or carries a CSRF token (forms, the
    # password prompt of a protected page), is specific to this visitor. (Any
    # view reads the session to find the user, so reading it proves nothing;
    # visitors who have a session at all are never served from the cache.)
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


class AnonymousPageCacheMiddleware:
    """Serve anonymous page views from the "pages" cache.

    Sits after the authentication middleware (it needs ``request.user``).
    Responses say ``X-Page-Cache: hit`` or ``miss`` so a purge can be checked
    from outside.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _request_is_cacheable(request):
            return self.get_response(request)
        # Read the generation before rendering: a change that commits while
        # this page renders makes the stored copy unreachable, never stale.
        cache = page_cache()
        try:
            key = _cache_key(request, generation())
            cached = cache.get(key)
        except Exception:
            # The page cache is an optimisation: if its store is down, render
            # (the Redis backend, cms/ops/cache.py, already fails open itself).
            logger.warning("Page cache unavailable; serving uncached", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _response_is_cacheable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            response[CACHE_HEADER] = "miss"
            try:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unavailable; page not kept", exc_info=True)
        return response


# CDN purge (wagtail.contrib.frontend_cache), only when WAGTAILFRONTENDCACHE is set.


def cdn_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def page_urls(page, *, old_html_path: str | None = None) -> list[str]:
    """The page's public URLs and the API URLs that show it.

    API lists are purged without query strings; a CDN that caches filtered
    lists (``?type=...``) should use a short max-age for them.
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
    api_root = (settings.WAGTAILAPI_BASE_URL or root).rstrip("/")
    detail = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
    listing = reverse("wagtailapi_v3:list_pages")
    urls += [api_root + detail, api_root + listing]
    urls += [api_root + path for path in settings.FRONTEND_CACHE_API_LIST_PATHS]
    return list(dict.fromkeys(urls))


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


def purge_urls_from_cdn(urls: list[str]) -> None:
    """Queue a CDN purge; Wagtail's own frontend_cache task runs it on the worker."""
    try:
        purge_urls_from_cache(urls)
    except Exception:
        # The CDN entries expire by themselves; a publish must still succeed.
        logger.exception("Could not queue a CDN purge of %s URLs", len(urls))
