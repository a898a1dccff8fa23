"""Issue 16: the sitemap's outline is kept per content generation, never stale.

``/sitemap.xml`` and ``/sitemap-pages.xml?p=N`` read each site's page count and
latest publish date from the page cache's store (``cms.publishing.sitemaps``)
instead of counting every page of the site on every request. Every door that
changes what the sitemap lists (a publish, an unpublish, a view restriction)
must show on the very next read, as with the page cache; the index stays
valid XML listing every sitemap, and the sitemaps together every live, public
page.
"""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def outlines_kept(settings, empty_page_store):
    settings.FRAGMENT_CACHE_SECONDS = 600
    settings.SITEMAP_PAGE_SIZE = 3


@pytest.fixture
def pages(home_page, on_commit):
    made = [
        StandardPageFactory(parent=home_page, slug=f"page-{number}")
        for number in range(6)
    ]
    on_commit(lambda: made[-1].save_revision().publish())
    return made


def index_of(client) -> ET.Element:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return root


def sitemap_addresses(root: ET.Element) -> list[str]:
    return [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]


def listed_pages(client, root: ET.Element) -> list[str]:
    listed = []
    for address in sitemap_addresses(root):
        response = client.get(address.removeprefix("http://testserver"))
        assert response.status_code == 200
        urlset = ET.fromstring(response.content)  # noqa: S314 - our own answer
        listed += [loc.text for loc in urlset.findall("sm:url/sm:loc", NS)]
    return listed


def live_urls() -> list[str]:
    live = Page.objects.live().public().filter(depth__gt=1).order_by("path")
    return [page.full_url for page in live]


def test_the_index_lists_every_sitemap_and_they_every_page(client, pages):
    root = index_of(client)
    # The home page and six pages: three sitemaps of three.
    assert sitemap_addresses(root) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-pages.xml?p=2",
        "http://testserver/sitemap-pages.xml?p=3",
    ]
    published = Page.objects.get(pk=pages[-1].pk).last_published_at
    latest = timezone.localtime(published).isoformat()
    assert [date.text for date in root.findall("sm:sitemap/sm:lastmod", NS)] == [
        latest
    ] * 3
    assert listed_pages(client, root) == live_urls()
    assert client.get("/sitemap-pages.xml?p=4").status_code == 404


def test_a_kept_outline_answers_the_index_without_a_query(
    client, pages, django_assert_num_queries
):
    first = client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        second = client.get("/sitemap.xml")
    assert second.content == first.content
    assert second["Last-Modified"] == first["Last-Modified"]
    assert second["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_a_publish_shows_on_the_very_next_read(client, home_page, pages, on_commit):
    assert len(sitemap_addresses(index_of(client))) == 3
    new = [
        StandardPageFactory(parent=home_page, slug=f"new-{number}", live=False)
        for number in range(3)
    ]
    on_commit(lambda: [page.save_revision().publish() for page in new])
    # Ten pages now: a fourth sitemap, and the latest publish date.
    root = index_of(client)
    assert len(sitemap_addresses(root)) == 4
    published = Page.objects.get(pk=new[-1].pk).last_published_at
    latest = timezone.localtime(published).isoformat()
    assert root.find("sm:sitemap/sm:lastmod", NS).text == latest
    listed = listed_pages(client, root)
    assert all(page.full_url in listed for page in new)
    assert listed == live_urls()


def test_an_unpublish_shows_on_the_very_next_read(client, pages, on_commit):
    assert len(sitemap_addresses(index_of(client))) == 3
    client.get("/sitemap-pages.xml?p=3")  # the last sitemap is kept too
    on_commit(lambda: pages[-1].unpublish())
    root = index_of(client)
    assert len(sitemap_addresses(root)) == 2
    assert client.get("/sitemap-pages.xml?p=3").status_code == 404
    assert pages[-1].full_url not in listed_pages(client, root)


def test_a_page_made_private_leaves_the_sitemap_at_once(client, pages, on_commit):
    assert len(sitemap_addresses(index_of(client))) == 3
    on_commit(
        lambda: PageViewRestriction.objects.create(
            page=pages[0], restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    )
    root = index_of(client)
    assert len(sitemap_addresses(root)) == 2
    listed = listed_pages(client, root)
    assert pages[0].full_url not in listed
    assert listed == live_urls()


def test_a_draft_is_never_counted(client, home_page, pages):
    StandardPageFactory(parent=home_page, slug="draft", live=False)
    root = index_of(client)
    assert len(sitemap_addresses(root)) == 3
    assert listed_pages(client, root) == live_urls()


def test_with_sharing_off_the_outline_is_counted_every_time(
    client, pages, settings, django_assert_num_queries
):
    settings.FRAGMENT_CACHE_SECONDS = 0
    client.get("/sitemap.xml")
    # Site, view restrictions, and the one aggregate of count and date.
    with django_assert_num_queries(3):
        assert len(sitemap_addresses(index_of(client))) == 3


def test_a_later_sitemap_is_read_by_id_not_past_every_page_before_it(client, pages):
    client.get("/sitemap-pages.xml?p=3")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap-pages.xml?p=3").status_code == 200
    assert not [q["sql"] for q in queries if "OFFSET" in q["sql"]]


def test_a_kept_sitemap_never_lists_a_page_no_longer_live(client, pages):
    root = index_of(client)
    assert pages[-1].full_url in listed_pages(client, root)
    # A change that replaces no generation (a raw update, a script).
    Page.objects.filter(pk=pages[-1].pk).update(live=False)
    assert pages[-1].full_url not in listed_pages(client, root)
