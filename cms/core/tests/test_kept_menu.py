"""Issue 16: the site's menu is kept per content generation, never stale.

Finding the menu looks at every page two levels under the site's root, and
the studies index's children are two levels down: with 10,000 studies that
look cost as much as the rest of a search page. The menu's ids are kept in
the page cache's store (``navigation.kept_menu_pages``), so every door that
changes the menu (a publish, an unpublish, a view restriction) must show on
the very next read, in the HTML frame and in the API's ``/site/``.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def menus_kept(settings, empty_page_store):
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture
def about(home_page, on_commit):
    page = StandardPageFactory(parent=home_page, title="About", show_in_menus=True)
    on_commit(lambda: page.save_revision().publish())
    return page


def api_menu(client) -> list[str]:
    return [item["title"] for item in client.get("/api/v3/site/").json()["navigation"]]


def html_menu(client) -> str:
    """The frame of a page that is not a Wagtail page (no shared fragment)."""
    response = client.get("/search/", {"q": "pain"})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def test_a_page_added_to_the_menu_shows_on_the_next_read(
    client, home_page, about, on_commit
):
    assert api_menu(client) == ["About"]
    assert "Contact" not in html_menu(client)
    contact = StandardPageFactory(
        parent=home_page, title="Contact", show_in_menus=True, live=False
    )
    on_commit(lambda: contact.save_revision().publish())
    assert api_menu(client) == ["About", "Contact"]
    assert ">Contact<" in html_menu(client)


def test_an_unpublished_or_private_page_leaves_the_menu_at_once(
    client, home_page, about, on_commit
):
    other = StandardPageFactory(parent=home_page, title="Team", show_in_menus=True)
    on_commit(lambda: other.save_revision().publish())
    assert api_menu(client) == ["About", "Team"]
    on_commit(lambda: about.unpublish())
    assert api_menu(client) == ["Team"]
    assert ">About<" not in html_menu(client)
    on_commit(
        lambda: PageViewRestriction.objects.create(
            page=other, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    )
    assert api_menu(client) == []
    assert ">Team<" not in html_menu(client)


def test_a_kept_menu_is_read_by_id(client, about):
    api_menu(client)
    with CaptureQueriesContext(connection) as queries:
        assert api_menu(client) == ["About"]
    menu_reads = [
        q["sql"]
        for q in queries
        if "show_in_menus" in q["sql"].partition(" WHERE ")[2]  # asked, not read
    ]
    assert len(menu_reads) == 1
    assert '"wagtailcore_page"."id" IN (' in menu_reads[0]


def test_a_kept_id_never_brings_back_a_page_no_longer_live(client, about):
    assert api_menu(client) == ["About"]
    # A change that replaces no generation (a raw update, a script).
    Page.objects.filter(pk=about.pk).update(live=False)
    assert api_menu(client) == []
