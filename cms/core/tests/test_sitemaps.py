"""Issue 16: ``/sitemap.xml`` lists the pages itself while they fit in one
sitemap, and is an index of bounded sitemaps once they do not."""

import re

import pytest
from django.utils import timezone
from wagtail.models import Page

from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def locations(body: bytes) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", body.decode())


def live_urls() -> list[str]:
    live = Page.objects.live().public().filter(depth__gt=1).order_by("path")
    return [page.full_url for page in live]


def test_a_site_that_fits_gets_one_plain_sitemap(home_page, client, settings):
    settings.SITEMAP_PAGE_SIZE = 7
    for number in range(6):
        StandardPageFactory(parent=home_page, slug=f"page-{number}")
    # The home page and six pages: seven, exactly one sitemap's worth.
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert b"<urlset" in response.content
    assert b"<sitemapindex" not in response.content
    assert locations(response.content) == live_urls()
    assert len(locations(response.content)) == 7


def test_the_default_page_size_keeps_a_clinic_sized_site_in_one_sitemap(
    home_page, client
):
    for number in range(60):
        StandardPageFactory(parent=home_page, slug=f"page-{number}")
    response = client.get("/sitemap.xml")
    assert b"<urlset" in response.content
    assert len(locations(response.content)) == 61


def test_a_bigger_site_gets_an_index_of_bounded_sitemaps(home_page, client, settings):
    settings.SITEMAP_PAGE_SIZE = 3
    for number in range(6):
        StandardPageFactory(parent=home_page, slug=f"page-{number}")
    # The home page and six pages: three sitemaps of at most three.
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert b"<sitemapindex" in index.content
    assert b"<urlset" not in index.content
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
    assert listed == live_urls()
    assert client.get("/sitemap-pages.xml?p=4").status_code == 404


def test_a_page_past_the_end_of_a_plain_sitemap_is_not_found(home_page, client):
    assert client.get("/sitemap.xml?p=2").status_code == 404
    assert client.get("/sitemap-pages.xml?p=2").status_code == 404


@pytest.mark.parametrize("pages", [4, 40])
def test_neither_answer_loads_the_pages_one_by_one(
    home_page, client, settings, django_assert_max_num_queries, pages
):
    settings.SITEMAP_PAGE_SIZE = 10
    for number in range(pages):
        page = StandardPageFactory(parent=home_page, slug=f"page-{number}")
    page.save_revision().publish()  # the last one has a publish date
    # Site lookup, view restrictions, one aggregate (count and latest publish
    # date), then nothing more (index) or the page rows by type (urlset):
    # never a query per page.
    with django_assert_max_num_queries(6):
        response = client.get("/sitemap.xml")
    if pages > 10:
        assert len(locations(response.content)) == 5
        page.refresh_from_db()
        lastmod = timezone.localtime(page.last_published_at).isoformat()
        assert f"<lastmod>{lastmod}</lastmod>".encode() in response.content
    else:
        assert len(locations(response.content)) == pages + 1
