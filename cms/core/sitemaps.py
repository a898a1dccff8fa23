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

Deciding which one to answer costs one count; the index then only adds the
latest publish date (one aggregate). Neither ever loads the pages, and the
count is made once per request (``PagedSitemap.paginator``).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max
from django.utils.functional import cached_property
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemaps

SECTION = "pages"
SECTION_URL_NAME = "sitemap_section"


def page_size() -> int:
    """Pages per sitemap (``settings.SITEMAP_PAGE_SIZE``, at least one)."""
    return max(1, settings.SITEMAP_PAGE_SIZE)


class PagedSitemap(Sitemap):
    """The site's live, public pages, ``page_size()`` per sitemap."""

    @property
    def limit(self) -> int:
        return page_size()

    @cached_property
    def paginator(self) -> Paginator:
        # Django builds a new paginator (and counts again) on every access;
        # one count a request is enough.
        return Paginator(self._items(), self.limit)

    def get_latest_lastmod(self):
        # Django's version calls lastmod() on every page; one aggregate will do.
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]


def sitemaps_for(request) -> dict[str, PagedSitemap]:
    """This request's sitemaps, made once so their page count is made once."""
    return {SECTION: PagedSitemap(request)}


def index(request):
    """``/sitemap.xml``: every page in one urlset if they fit, else the index."""
    sitemaps = sitemaps_for(request)
    if sitemaps[SECTION].paginator.num_pages <= 1:
        return wagtail_sitemaps.sitemap(request, sitemaps)
    return wagtail_sitemaps.index(request, sitemaps, sitemap_url_name=SECTION_URL_NAME)


def section(request, section: str):
    """One sitemap page (``?p=N``; a page past the end answers 404)."""
    return wagtail_sitemaps.sitemap(request, sitemaps_for(request), section=section)
