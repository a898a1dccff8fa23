"""Issue 16: ``/sitemap.xml`` is an index; each sitemap lists a bounded number."""

import re

import pytest
from django.utils import timezone
from wagtail.models import Page

from cms.core import sitemaps
from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def locations(body: bytes) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", body.decode())


def test_the_index_lists_one_sitemap_per_page_of_pages(home_page, client, monkeypatch):
    monkeypatch.setattr(sitemaps.PagedSitemap, "limit", 3)
    for number in range(6):
        StandardPageFactory(parent=home_page, slug=f"page-{number}")
    # The home page and six pages: three sitemaps of at most three.
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert b"<sitemapindex" in index.content
    # Sitemap addresses use the host the index was asked on (Django's view).
    assert locations(index.content) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-pages.xml?p=2",
        "http://testserver/sitemap-pages.xml?p=3",
    ]
    listed = []
    for url in locations(index.content):
        page = client.get(url.removeprefix("http://testserver"))
        assert page.status_code == 200
        assert len(locations(page.content)) <= 3
        listed += locations(page.content)
    live = Page.objects.live().public().filter(depth__gt=1).order_by("path")
    assert listed == [page.full_url for page in live]
    assert client.get("/sitemap-pages.xml?p=4").status_code == 404


def test_the_index_does_not_load_the_pages(
    home_page, client, django_assert_max_num_queries
):
    for number in range(2 * sitemaps.PAGE_SIZE):
        page = StandardPageFactory(parent=home_page, slug=f"page-{number}")
    page.save_revision().publish()  # the last one has a publish date
    # Site lookup, count, latest publish date: never a query per page.
    with django_assert_max_num_queries(6):
        index = client.get("/sitemap.xml")
    assert len(locations(index.content)) == 3
    page.refresh_from_db()
    lastmod = timezone.localtime(page.last_published_at).isoformat()
    assert f"<lastmod>{lastmod}</lastmod>".encode() in index.content
