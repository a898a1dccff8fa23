"""``/sitemap.xml``: one sitemap for a site that fits, a sitemap index beyond.

A site of a few dozen pages (the clinic's) gets a plain ``<urlset>`` at
``/sitemap.xml``: what search engines read most simply, and what tools that
collect a site's addresses from its sitemap expect. One urlset of every page,
though, costs time in proportion to the site: with 10,000 study summaries it
took seconds to build and weighed over a megabyte, and search engines fetch it
often. So a site with more than ``settings.SITEMAP_PAGE_SIZE`` pages gets a
sitemap index at ``/sitemap.xml`` instead (the sitemaps protocol's way to split
a site; robots.txt keeps pointing at it), and each
``/sitemap-pages.xml?p=N`` lists at most that many pages in path order.

What both answers need to know about the whole site is its ``Outline``: how
many pages it serves and when one was last published, found in one aggregate
and never by loading the pages. Whoever serves the views may hand them a
sitemap that already knows its outline (``cms.publishing.sitemaps`` keeps one
per content generation); without one, they make that one query.

The index lists one entry per sitemap (241 at 50 pages a sitemap for 12,000
pages) and every entry carries the same date, so it is written here, the date
formatted once, instead of through Django's template, which formatted it
again for every entry and cost more than the queries (issue 16).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import http_date
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemaps

from cms.core.listings import kept_rows
from cms.core.visibility import restricted_paths

SECTION = "pages"
SECTION_URL_NAME = "sitemap_section"


def page_size() -> int:
    """Pages per sitemap (``settings.SITEMAP_PAGE_SIZE``, at least one)."""
    return max(1, settings.SITEMAP_PAGE_SIZE)


@dataclass(frozen=True)
class Outline:
    """A site's sitemap in two numbers: its pages, and the latest publish date."""

    pages: int
    latest: datetime.datetime | None

    def sitemaps(self) -> int:
        """How many sitemaps of ``page_size()`` pages list the site (at least one)."""
        return max(1, -(-self.pages // page_size()))


class CountedPaginator(Paginator):
    """A paginator told its count, whose pages are read by kept ids.

    The outline has the count, so no second count is made. A sitemap far
    down the site (``?p=240`` of 12,000 pages) had the database step over
    every page before it, on each request; its ids are kept instead
    (``listings.kept_rows``, under the content generation like a listing's),
    and the pages read by id with the same filters.
    """

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        pages = self.object_list
        ids = kept_rows(pages.values_list("pk", flat=True)[bottom:top])
        listed = pages[bottom:top] if ids is None else pages.filter(pk__in=ids)
        return self._get_page(listed, number, self)


class PagedSitemap(Sitemap):
    """The site's live, public pages, ``page_size()`` per sitemap."""

    def __init__(self, request, outline: Outline | None = None):
        super().__init__(request)
        self.given_outline = outline

    @property
    def limit(self) -> int:
        return page_size()

    @cached_property
    def listed(self):
        """Wagtail's sitemap pages: live, public, in path order, specific.

        Written here rather than with Wagtail's ``public()``, which reads the
        view restrictions with a join SQLite plans as a scan of every page;
        these are the request's own (``visibility.view_restrictions``).
        """
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        pages = pages.live()
        for path in restricted_paths(self.request):
            pages = pages.exclude(path__startswith=path)
        return pages.order_by("path").defer_streamfields().specific()

    def items(self):
        # Made once: building it reads the site's view restrictions, and the
        # outline and the paginator both start from it.
        return self.listed

    @cached_property
    def outline(self) -> Outline:
        if self.given_outline is not None:
            return self.given_outline
        # One aggregate for both numbers (Django's paginator would count,
        # and its get_latest_lastmod() call lastmod() on every page).
        found = self.items().aggregate(
            pages=Count("pk"), latest=Max("last_published_at")
        )
        return Outline(pages=found["pages"], latest=found["latest"])

    @cached_property
    def paginator(self) -> Paginator:
        return CountedPaginator(self._items(), self.limit, self.outline.pages)

    def get_latest_lastmod(self):
        return self.outline.latest


@x_robots_tag
def index_response(request, outline: Outline) -> HttpResponse:
    """The sitemap index: every sitemap's address, each with the latest date.

    The same XML as Django's ``sitemap_index.xml`` and the same headers as its
    view (``Last-Modified`` for conditional requests, ``X-Robots-Tag``); the
    addresses use the host the index was asked on, as Django's do.
    """
    address = escape(
        request.build_absolute_uri(
            reverse(SECTION_URL_NAME, kwargs={"section": SECTION})
        )
    )
    lastmod = ""
    headers = {}
    if outline.latest is not None:
        lastmod = f"<lastmod>{timezone.localtime(outline.latest).isoformat()}</lastmod>"
        headers["Last-Modified"] = http_date(outline.latest.timestamp())
    entries = [f"<sitemap><loc>{address}</loc>{lastmod}</sitemap>"]
    entries += [
        f"<sitemap><loc>{address}?p={number}</loc>{lastmod}</sitemap>"
        for number in range(2, outline.sitemaps() + 1)
    ]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(entries)
        + "\n</sitemapindex>\n"
    )
    return HttpResponse(body, content_type="application/xml", headers=headers)


def index(request, sitemap: PagedSitemap | None = None):
    """``/sitemap.xml``: every page in one urlset if they fit, else the index."""
    sitemap = sitemap or PagedSitemap(request)
    if sitemap.outline.sitemaps() <= 1:
        return wagtail_sitemaps.sitemap(request, {SECTION: sitemap})
    # The index needs no page: with a kept outline, no query at all.
    return index_response(request, sitemap.outline)


def section(request, section: str, sitemap: PagedSitemap | None = None):
    """One sitemap page (``?p=N``; a page past the end answers 404)."""
    sitemap = sitemap or PagedSitemap(request)
    return wagtail_sitemaps.sitemap(request, {SECTION: sitemap}, section=section)
