"""Stock ``/api/v3/redirects/`` with each target resolved to a routable address."""

import json

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from cms.api.openapi import render
from home.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redirects(home_page):
    care = StandardPageFactory(parent=home_page, slug="care")
    draft = StandardPageFactory(parent=home_page, slug="draft", live=False)
    secret = StandardPageFactory(parent=home_page, slug="secret")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return {
        "page": Redirect.objects.create(old_path="/old-care", redirect_page=care),
        "external": Redirect.objects.create(
            old_path="/portal", redirect_link="https://portal.example/login"
        ),
        "draft": Redirect.objects.create(old_path="/soon", redirect_page=draft),
        "secret": Redirect.objects.create(old_path="/staff", redirect_page=secret),
    }


def targets(client) -> dict:
    response = client.get("/api/v3/redirects/")
    assert response.status_code == 200
    return {
        item["old_path"]: (item["target_kind"], item["target"])
        for item in response.json()["items"]
    }


def test_list_gives_each_target_as_a_path_or_the_external_address(client, redirects):
    assert targets(client) == {
        "/old-care": ("page", "/care/"),
        "/portal": ("external", "https://portal.example/login"),
        "/soon": (None, None),
        "/staff": (None, None),
    }


def test_detail_and_find_carry_the_target_too(client, redirects):
    detail = client.get(f"/api/v3/redirects/{redirects['page'].pk}/").json()
    assert (detail["target_kind"], detail["target"]) == ("page", "/care/")
    assert detail["redirect_page_id"] == redirects["page"].redirect_page_id
    found = client.get(
        "/api/v3/redirects/find/", {"html_path": "/portal"}, follow=True
    ).json()
    assert found["target"] == "https://portal.example/login"


def test_a_redirect_to_a_moved_page_follows_it(client, redirects, home_page):
    page = redirects["page"].redirect_page
    page.slug = "our-care"
    page.save_revision().publish()
    assert targets(client)["/old-care"] == ("page", "/our-care/")


def test_list_queries_do_not_grow_with_length(
    client, redirects, home_page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v3/redirects/")
    for number in range(15):
        page = StandardPageFactory(parent=home_page, slug=f"page-{number}")
        Redirect.objects.create(old_path=f"/old-{number}", redirect_page=page)
    with django_assert_max_num_queries(len(few)):
        assert len(targets(client)) == 19


def test_openapi_types_the_target_on_every_redirect_answer():
    document = json.loads(render())
    schemas = document["components"]["schemas"]
    routable = schemas["RoutableRedirectSchema"]
    assert {"target", "target_kind"} <= set(routable["required"])
    assert routable["properties"]["target_kind"]["anyOf"][0]["enum"] == [
        "page",
        "external",
    ]
    paths = document["paths"]
    listed = paths["/api/v3/redirects/"]["get"]["responses"]["200"]["content"]
    paged = listed["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schemas[paged]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/RoutableRedirectSchema"
    }
    detail = paths["/api/v3/redirects/{redirect_id}/"]["get"]["responses"]["200"]
    assert detail["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RoutableRedirectSchema"
    }
