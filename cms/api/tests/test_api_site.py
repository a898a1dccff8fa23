"""``/api/v3/site/``: what a headless frontend's header, footer and menus read."""

import datetime
import json

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.api.openapi import render
from cms.api.tests.test_api_contract import reachable_schemas, untyped_spots
from cms.core.models import ClinicSettings
from cms.core.tests.fixtures import make_image
from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_renditions():
    """Wagtail caches renditions by image id, and ids are reused after each
    test's rollback: without this, a logo could get an earlier test's picture."""
    caches["default"].clear()
    yield
    caches["default"].clear()


def private(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return page


@pytest.fixture
def menu(home_page):
    """Two menu sections with children, plus pages that must stay out of the menu."""
    about = StandardPageFactory(parent=home_page, title="About", show_in_menus=True)
    team = StandardPageFactory(parent=about, title="Our team", show_in_menus=True)
    StandardPageFactory(parent=about, title="Not in menus", show_in_menus=False)
    StandardPageFactory(
        parent=about, title="Draft child", show_in_menus=True, live=False
    )
    StandardPageFactory(parent=team, title="Grandchild", show_in_menus=True)
    care = StandardPageFactory(parent=home_page, title="Care", show_in_menus=True)
    private(StandardPageFactory(parent=care, title="Staff only", show_in_menus=True))
    StandardPageFactory(parent=home_page, title="Hidden", show_in_menus=False)
    StandardPageFactory(parent=home_page, title="Draft", show_in_menus=True, live=False)
    private(StandardPageFactory(parent=home_page, title="Private", show_in_menus=True))
    return {"about": about, "team": team, "care": care}


def test_site_details_are_anonymous_and_complete(client, home_page):
    settings = ClinicSettings.for_site(home_page.get_site())
    settings.clinic_name = "Utah Ketamine Authority"
    settings.phone = "(801) 555-0100"
    settings.email = "hello@clinic.example"
    settings.street_address = "123 Main Street"
    settings.locality = "Salt Lake City"
    settings.region = "UT"
    settings.postal_code = "84101"
    settings.opening_hours = "Mon–Fri 8am–5pm\nSat 9am–noon"
    settings.opening_hours_structured = [
        (
            "period",
            {
                "days": ["Friday", "Monday", "Wednesday"],
                "opens": datetime.time(8),
                "closes": datetime.time(17),
            },
        ),
        (
            "period",
            {
                "days": ["Saturday"],
                "opens": datetime.time(9),
                "closes": datetime.time(12, 30),
            },
        ),
    ]
    settings.booking_url = "https://book.clinic.example/"
    settings.crisis_line = "988"
    settings.crisis_line_text = "In crisis? Call or text 988."
    settings.brand_colour = "#1f5f8b"
    settings.logo = make_image("Logo", width=800, height=200)
    settings.default_social_image = make_image("Share", width=1200, height=630)
    settings.full_clean()
    settings.save()

    response = client.get("/api/v3/site/")

    assert response.status_code == 200
    body = response.json()
    assert {
        key: body[key] for key in body if key not in ("logo", "default_social_image")
    } == {
        "site_id": home_page.get_site().pk,
        "root_url": "http://localhost",
        "clinic_name": "Utah Ketamine Authority",
        "phone": "(801) 555-0100",
        "email": "hello@clinic.example",
        "address": {
            "street_address": "123 Main Street",
            "locality": "Salt Lake City",
            "region": "UT",
            "postal_code": "84101",
            "country": "US",
            "lines": ["123 Main Street", "Salt Lake City, UT 84101"],
        },
        "opening_hours": {
            "lines": ["Mon–Fri 8am–5pm", "Sat 9am–noon"],
            "periods": [
                {
                    "days": ["Monday", "Wednesday", "Friday"],
                    "opens": "08:00",
                    "closes": "17:00",
                },
                {"days": ["Saturday"], "opens": "09:00", "closes": "12:30"},
            ],
        },
        "booking_url": "https://book.clinic.example/",
        "crisis_line": {"text": "In crisis? Call or text 988.", "number": "988"},
        "brand_colour": "#1f5f8b",
        "navigation": [],
        "footer_links": [],
    }
    logo = body["logo"]
    assert logo["id"] == settings.logo_id
    assert logo["alt"] == settings.logo.default_alt_text
    assert (logo["width"], logo["height"]) == (640, 160)  # natural aspect kept
    assert logo["src"].startswith("http") and "/media/images/" in logo["src"]
    assert "800w" in logo["srcset"]
    social = body["default_social_image"]
    assert social["id"] == settings.default_social_image_id
    assert (social["width"], social["height"]) == (640, 336)  # cropped to 40:21


def test_empty_details_are_null_not_empty_strings(client, home_page):
    body = client.get("/api/v3/site/").json()
    assert (body["phone"], body["email"], body["booking_url"]) == (None, None, None)
    assert (body["logo"], body["brand_colour"], body["default_social_image"]) == (
        None,
        None,
        None,
    )
    assert body["crisis_line"]["number"] == "988"
    assert body["opening_hours"] == {"lines": [], "periods": []}


def test_navigation_lists_live_public_menu_pages_with_one_level_of_children(
    client, menu
):
    navigation = client.get("/api/v3/site/").json()["navigation"]
    assert navigation == [
        {
            "id": menu["about"].pk,
            "title": "About",
            "html_path": "/about/",
            "children": [
                {
                    "id": menu["team"].pk,
                    "title": "Our team",
                    "html_path": "/about/our-team/",
                }
            ],
        },
        {"id": menu["care"].pk, "title": "Care", "html_path": "/care/", "children": []},
    ]


def test_navigation_follows_the_editors_order(client, menu):
    menu["care"].move(menu["about"], pos="left")
    titles = [
        item["title"] for item in client.get("/api/v3/site/").json()["navigation"]
    ]
    assert titles == ["Care", "About"]


def site_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v3/site/").status_code == 200
    return len(queries)


def test_site_queries_do_not_grow_with_the_menu(client, menu, home_page):
    ClinicSettings.for_site(home_page.get_site())  # the row exists in both runs
    few = site_queries(client)
    for number in range(8):
        section = StandardPageFactory(
            parent=home_page, title=f"Section {number}", show_in_menus=True
        )
        for child in range(3):
            StandardPageFactory(
                parent=section, title=f"Child {number}.{child}", show_in_menus=True
            )
    many = site_queries(client)
    assert len(client.get("/api/v3/site/").json()["navigation"]) == 10
    assert few == many
    assert many <= 8


def test_footer_links_resolve_pages_and_drop_unpublished_ones(client, menu, home_page):
    gone = StandardPageFactory(parent=home_page, title="Old news")
    secret = private(StandardPageFactory(parent=home_page, title="Secret"))
    settings = ClinicSettings.for_site(home_page.get_site())
    settings.clinic_name = "Clinic"
    settings.footer_links = [
        ("page", {"page": menu["team"], "label": ""}),
        ("external", {"url": "https://portal.example/", "label": "Patient portal"}),
        ("page", {"page": gone, "label": "Old news"}),
        ("page", {"page": secret, "label": "Secret"}),
        ("page", {"page": menu["about"], "label": "Who we are"}),
    ]
    settings.save()
    gone.unpublish()

    links = client.get("/api/v3/site/").json()["footer_links"]

    assert links == [
        {
            "kind": "page",
            "label": "Our team",
            "url": "/about/our-team/",
            "page_id": menu["team"].pk,
        },
        {
            "kind": "external",
            "label": "Patient portal",
            "url": "https://portal.example/",
            "page_id": None,
        },
        {
            "kind": "page",
            "label": "Who we are",
            "url": "/about/",
            "page_id": menu["about"].pk,
        },
    ]


def test_site_answers_carry_etag_and_304(client, settings, home_page):
    settings.API_CACHE_MAX_AGE = 60
    response = client.get("/api/v3/site/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    etag = response["ETag"]
    again = client.get("/api/v3/site/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_unknown_parameters_are_a_problem_not_ignored(client, home_page):
    response = client.get("/api/v3/site/", {"lang": "fr"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "lang" in response.json()["detail"]


def test_site_without_a_site_is_a_404_problem(client, db):
    Site.objects.all().delete()
    response = client.get("/api/v3/site/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_openapi_types_the_site_answer(client):
    document = json.loads(render())
    operation = document["paths"]["/api/v3/site/"]["get"]
    assert operation["operationId"] == "site_details"
    assert {} in operation.get("security", [{}])
    schemas = document["components"]["schemas"]
    site = schemas["ClinicSiteSchema"]
    assert set(site["required"]) == set(site["properties"])
    assert {"navigation", "footer_links", "logo", "brand_colour", "crisis_line"} <= set(
        site["properties"]
    )
    assert schemas["MenuItemSchema"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/MenuChildSchema"
    }
    assert schemas["OpeningPeriodSchema"]["properties"]["days"]["items"]["enum"] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]


def test_site_sitemap_and_redirect_reads_have_no_untyped_schema():
    document = json.loads(render())
    operations = [
        document["paths"][path]["get"]
        for path in (
            "/api/v3/site/",
            "/api/v3/sitemap/",
            "/api/v3/redirects/",
            "/api/v3/redirects/{redirect_id}/",
        )
    ]
    schemas = reachable_schemas(document, operations)
    assert {"ClinicSiteSchema", "SitemapEntrySchema", "RoutableRedirectSchema"} <= set(
        schemas
    )
    assert [
        spot for name, s in schemas.items() for spot in untyped_spots(name, s)
    ] == []


def test_wagtails_sites_endpoint_keeps_its_own_schema(client):
    """Our ``ClinicSiteSchema`` must not replace v3's ``SiteSchema`` by name."""
    document = client.get("/api/v3/openapi.json").json()
    answer = document["paths"]["/api/v3/sites/{site_id}/"]["get"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"]
    site = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert {"hostname", "port"} <= set(site["properties"])
    assert "clinic_name" not in site["properties"]
