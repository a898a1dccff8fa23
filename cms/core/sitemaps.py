"""``/sitemap.xml``: a sitemap index, with the pages in sitemaps of bounded size.

One urlset of every page costs time in proportion to the site: with 10,000
study summaries it took seconds to build and weighed over a megabyte, and
search engines fetch it often. So ``/sitemap.xml`` is a sitemap index (the
sitemaps protocol's way to split a site; robots.txt keeps pointing at it) and
each ``/sitemap-pages.xml?p=N`` lists at most ``PAGE_SIZE`` pages in path
order. The index itself only counts the pages and asks the database for the
latest publish date; it never loads them.
"""

from django.db.models import Max
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemaps

#: Pages per sitemap: small enough that one sitemap costs about the same on a
#: site of 50 pages as on one of 12,000 (the protocol allows up to 50,000).
PAGE_SIZE = 50
SECTION_URL_NAME = "sitemap_section"


class PagedSitemap(Sitemap):
    """The site's live, public pages, ``PAGE_SIZE`` per sitemap."""

    limit = PAGE_SIZE

    def get_latest_lastmod(self):
        # Django's version calls lastmod() on every page; one aggregate will do.
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]


SITEMAPS = {"pages": PagedSitemap}


def index(request):
    """The sitemap index: one entry per sitemap page of every section."""
    return wagtail_sitemaps.index(request, SITEMAPS, sitemap_url_name=SECTION_URL_NAME)


def section(request, section: str):
    """One sitemap page (``?p=N``; a page past the end answers 404)."""
    return wagtail_sitemaps.sitemap(request, SITEMAPS, section=section)
