"""Shared fragments and remembered routes: cheap renders, never stale or private ones.

The page cache is off here (as for a signed-in editor or a visitor with a
session): every request renders, and the head, body and route come from the
shared store when they may. Each door that changes content must show on the
very next request, as with the page cache.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.core import cachestore
from cms.core.loading import LoadReport
from home.demo import load_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings, empty_page_store):
    settings.FRAGMENT_CACHE_SECONDS = 600


def test_a_second_render_is_the_same_page_for_far_fewer_queries(
    client, page, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get("/aftercare/")
    assert first.status_code == 200
    with django_assert_max_num_queries(3):
        second = client.get("/aftercare/")
    assert second.content == first.content
    assert len(first_queries) > 3
    html = second.content.decode()
    assert "<h1" in html and "Aftercare" in html
    assert 'id="main"' in html


def test_a_publish_shows_on_the_very_next_render(client, page, on_commit):
    client.get("/aftercare/")
    page.title = "Aftercare and recovery"
    on_commit(lambda: page.save_revision().publish())
    html = client.get("/aftercare/").content.decode()
    assert "Aftercare and recovery" in html
    assert "<title>Aftercare and recovery" in html


def test_an_unpublish_or_a_new_address_shows_on_the_very_next_request(
    client, page, on_commit
):
    client.get("/aftercare/")
    page.slug = "after-treatment"
    on_commit(lambda: page.save_revision().publish())
    assert client.get("/after-treatment/").status_code == 200
    assert client.get("/aftercare/", follow=False).status_code in (301, 302, 404)
    on_commit(page.unpublish)
    assert client.get("/after-treatment/").status_code == 404


def test_a_page_made_private_is_never_shown_from_the_store(client, page, on_commit):
    assert "Aftercare" in client.get("/aftercare/").content.decode()
    on_commit(
        lambda: PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    )
    prompt = client.get("/aftercare/")
    assert prompt.status_code == 200
    html = prompt.content.decode()
    assert 'name="password"' in html
    assert "<h1>Aftercare</h1>" not in html


def test_a_private_pages_content_is_never_kept(client, page, on_commit):
    restriction = on_commit(
        lambda: PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    )
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert "Aftercare" in client.get("/aftercare/").content.decode()
    stranger = Client()
    html = stranger.get("/aftercare/").content.decode()
    assert 'name="password"' in html


def test_a_draft_preview_never_reaches_the_public_and_the_public_never_the_preview(
    client, page
):
    client.get("/aftercare/")
    draft = type(page).objects.get(pk=page.pk)
    draft.title = "Draft title nobody may see"
    preview = draft.make_preview_request().content.decode()
    assert "Draft title nobody may see" in preview
    public = client.get("/aftercare/").content.decode()
    assert "Draft title nobody may see" not in public
    assert "Aftercare" in public


def test_a_site_change_forgets_every_remembered_route(client, page, on_commit):
    client.get("/aftercare/")
    before = cachestore.generation()
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Riverside"
    on_commit(site.save)
    assert cachestore.generation() != before
    assert client.get("/aftercare/").status_code == 200


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_form_carrying_a_visitors_token_is_never_shared(home_page):
    page = load_consultation(home_page, LoadReport())
    page.save_revision().publish()
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first = csrf_token(one.get(page.url).content.decode())
    second = csrf_token(two.get(page.url).content.decode())
    assert first != second
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value


def test_with_sharing_off_every_render_starts_from_scratch(client, page, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    client.get("/aftercare/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/aftercare/")
    assert len(queries) > 3
