"""``/api/v3/sitemap/``: every page a frontend's sitemap.xml lists, by path."""

import datetime
import json

import pytest
from wagtail.models import Locale, PageViewRestriction

from cms.api.openapi import render
from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def entries(client, **params) -> dict:
    response = client.get("/api/v3/sitemap/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_sitemap_lists_live_public_pages_in_path_order(client, home_page):
    about = StandardPageFactory(parent=home_page, title="About", slug="about")
    StandardPageFactory(parent=about, title="Team", slug="team")
    StandardPageFactory(parent=home_page, title="Draft", slug="draft", live=False)
    secret = StandardPageFactory(parent=home_page, title="Staff", slug="staff")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    StandardPageFactory(parent=secret, title="Rota", slug="rota")
    care = StandardPageFactory(parent=home_page, title="Care", slug="care")
    care.save_revision().publish()
    care.refresh_from_db()

    body = entries(client)

    assert body["count"] == 4
    assert [item["html_path"] for item in body["items"]] == [
        "/",
        "/about/",
        "/about/team/",
        "/care/",
    ]
    last = body["items"][-1]
    published = datetime.datetime.fromisoformat(last.pop("last_published_at"))
    assert abs(published - care.last_published_at) < datetime.timedelta(seconds=1)
    assert last == {
        "id": care.pk,
        "type": "home.StandardPage",
        "html_path": "/care/",
        "url": "http://localhost/care/",
        "alternates": [
            {"locale": "en", "html_path": "/care/", "url": "http://localhost/care/"}
        ],
    }
    assert body["items"][0]["type"] == "home.HomePage"
    assert body["items"][0]["last_published_at"] is None  # created, never published


def test_sitemap_pages_with_limit_and_offset(client, home_page):
    for number in range(5):
        StandardPageFactory(parent=home_page, slug=f"page-{number}")
    first = entries(client, limit=2)
    second = entries(client, limit=2, offset=2)
    assert first["count"] == second["count"] == 6
    assert [item["html_path"] for item in first["items"] + second["items"]] == [
        "/",
        "/page-0/",
        "/page-1/",
        "/page-2/",
    ]


def test_sitemap_alternates_are_the_live_translations(client, home_page):
    french = Locale.objects.create(language_code="fr")
    about = StandardPageFactory(parent=home_page, title="About", slug="about")
    StandardPageFactory(
        parent=home_page,
        title="À propos",
        slug="a-propos",
        locale=french,
        translation_key=about.translation_key,
    )
    StandardPageFactory(
        parent=home_page,
        title="Brouillon",
        slug="brouillon",
        locale=Locale.objects.create(language_code="de"),
        translation_key=about.translation_key,
        live=False,
    )
    by_path = {item["html_path"]: item for item in entries(client)["items"]}
    expected = [
        {"locale": "en", "html_path": "/about/", "url": "http://localhost/about/"},
        {
            "locale": "fr",
            "html_path": "/a-propos/",
            "url": "http://localhost/a-propos/",
        },
    ]
    assert by_path["/about/"]["alternates"] == expected
    assert by_path["/a-propos/"]["alternates"] == expected


def test_sitemap_queries_do_not_grow_with_length(
    client, home_page, django_assert_max_num_queries
):
    for number in range(3):
        StandardPageFactory(parent=home_page, slug=f"few-{number}")
    entries(client)  # warm the site root paths cache, as any earlier request would
    with django_assert_max_num_queries(8) as few:
        assert entries(client, limit=50)["count"] == 4
    for number in range(40):
        StandardPageFactory(parent=home_page, slug=f"many-{number}")
    with django_assert_max_num_queries(len(few)) as many:
        assert len(entries(client, limit=50)["items"]) == 44
    assert len(many) == len(few)


def test_sitemap_refuses_unknown_parameters_and_bad_offsets(client, home_page):
    unknown = client.get("/api/v3/sitemap/", {"type": "home.StandardPage"})
    assert unknown.status_code == 400
    assert unknown["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v3/sitemap/", {"offset": -1}).status_code == 422


def test_sitemap_is_cached_like_other_reads(client, home_page):
    response = client.get("/api/v3/sitemap/")
    again = client.get("/api/v3/sitemap/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_openapi_types_the_sitemap_as_a_paged_list():
    document = json.loads(render())
    operation = document["paths"]["/api/v3/sitemap/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert parameters == {"limit", "offset"}
    schemas = document["components"]["schemas"]
    entry = schemas["SitemapEntrySchema"]
    assert set(entry["required"]) == {
        "id",
        "type",
        "html_path",
        "url",
        "last_published_at",
        "alternates",
    }
