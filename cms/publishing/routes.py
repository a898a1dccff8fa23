"""Remembered routes: the site and page a path leads to, found once per generation.

Before a page renders, Wagtail finds the request's site (a query with
ordering by hostname and port), loads its root page and walks the tree to
the page, two queries per level (the child by slug, then its specific row).
On a rendered service page that was most of the request's time, and it is
the same for every request to that path until pages are published,
unpublished, moved, renamed or deleted, each of which replaces the content
generation (``cachestore``). Sites are edited rarely, and a change to one
replaces the generation too (``signal_handlers``).

``RememberedRouteMiddleware`` keeps, per generation, scheme, host and path,
the site and the route result Wagtail found (pickled: every request gets
fresh objects, so nothing one request sets on a page reaches the next) and
hands them to Wagtail through the attributes its lookups cache on the
request (``Site.find_for_request``: ``_wagtail_site``;
``Page.route_for_request``: ``_wagtail_route_for_request``, as its docstring
describes). Only plain routes to live pages are kept (the page whose address
is exactly the path, no extra arguments). Whether the visitor may see the
page is decided after routing, as always (view restrictions in
``before_serve_page``), so a remembered route grants nothing.
"""

from __future__ import annotations

import logging
import pickle
import time

from django.conf import settings
from django.urls import Resolver404, resolve
from wagtail.models import Page

from cms.core import cachestore
from cms.core.sites import remember_site, request_site
from cms.publishing.purge import UNCACHED_PREFIXES

logger = logging.getLogger(__name__)


def _key(kind: str, request, version: str) -> str:
    where = f"{request.scheme}:{request.get_host()}"
    return f"{kind}:{version}:{where}:{request.path if kind == 'route' else ''}"


def _may_remember(request) -> bool:
    return (
        settings.FRAGMENT_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(UNCACHED_PREFIXES)
    )


def _plain_route(site, result, path: str) -> bool:
    if site is None or result is None:
        return False
    page, args, kwargs = result
    if args or kwargs or not page.live:
        return False
    return page.url_path == site.root_page.url_path + path.lstrip("/")


def _keep(version: str, key: str, content: bytes) -> None:
    answer = cachestore.StoredAnswer(
        status=200,
        headers=(),
        content=content,
        expires=time.time() + settings.FRAGMENT_CACHE_SECONDS,
    )
    try:
        cachestore.store_answer(version, key, answer)
    except Exception:
        logger.warning("Route store unavailable; route not kept", exc_info=True)


def _recall(version: str, key: str):
    kept = cachestore.fetch(version, key)
    return None if kept is None else pickle.loads(kept.content)  # noqa: S301


def _serves_pages(request) -> bool:
    try:
        return resolve(request.path_info).url_name == "wagtail_serve"
    except Resolver404:
        return False


class RememberedRouteMiddleware:
    """Hand Wagtail the remembered site and route, or find and remember them.

    Found ones are pickled as found, before the page renders (nothing the
    rendering caches on them is kept), and kept only once the answer is a
    ``200``: paths that lead nowhere are never remembered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_remember(request) or not _serves_pages(request):
            return self.get_response(request)
        try:
            version = cachestore.content_version()
            site_key = _key("site", request, version)
            route_key = _key("route", request, version)
            site, route = _recall(version, site_key), _recall(version, route_key)
        except Exception:
            logger.warning("Route store unavailable; Wagtail routes", exc_info=True)
            return self.get_response(request)
        new = {}
        if site is None:
            site = request_site(request)
            if site is None:
                return self.get_response(request)
            new[site_key] = pickle.dumps(site)
        remember_site(request, site)
        if route is None:
            route = Page.route_for_request(request, request.path_info)
            if _plain_route(site, route, request.path_info):
                new[route_key] = pickle.dumps(route)
        request._wagtail_route_for_request = route
        response = self.get_response(request)
        if response.status_code == 200:
            for key, content in new.items():
                _keep(version, key, content)
        return response
