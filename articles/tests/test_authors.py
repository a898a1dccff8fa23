"""Each article credits its own authors, wherever it is read.

The typed article endpoints once listed every author row in the database on every
article, a draft's authors included: their listing prefetched the authors with a
lookup queryset that modelcluster caches unfiltered, and the byline's
``select_related()`` re-ran it. Two live articles and a draft, each with its own
author, are read through every door a visitor or frontend uses.
"""

import json

import pytest
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from articles.tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.core.tests.factories import ClinicianFactory, publish_reviewed

pytestmark = pytest.mark.django_db

DRAFT_AUTHOR = "Cy Draftwriter"


@pytest.fixture
def articles(home_page):
    index = ArticleIndexPageFactory(parent=home_page)
    sleep = ArticlePageFactory(parent=index, title="Sleep", slug="sleep")
    sleep.authors.create(clinician=ClinicianFactory(name="Ann Wu", credentials="NP"))
    publish_reviewed(sleep)
    pacing = ArticlePageFactory(parent=index, title="Pacing", slug="pacing")
    pacing.authors.create(clinician=ClinicianFactory(name="Bo Park", credentials=""))
    pacing.authors.create(clinician=ClinicianFactory(name="Di Moss", credentials="PT"))
    publish_reviewed(pacing)
    draft = ArticlePageFactory(
        parent=index, title="Unfinished", slug="unfinished", live=False
    )
    draft.authors.create(clinician=ClinicianFactory(name=DRAFT_AUTHOR))
    draft.save_revision()
    return {"sleep": sleep, "pacing": pacing, "draft": draft}


OWN_AUTHORS = {
    "sleep": (["Ann Wu, NP"], ["Ann Wu"]),
    "pacing": (["Bo Park", "Di Moss, PT"], ["Bo Park", "Di Moss"]),
}


def article_node(graph: dict) -> dict:
    (node,) = [node for node in graph["@graph"] if node["@type"] == "Article"]
    return node


def jsonld_authors(graph: dict) -> list[str]:
    return [person["name"] for person in article_node(graph).get("author", [])]


def get_json(client, url, **params) -> tuple[dict, str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json(), response.content.decode()


@pytest.mark.parametrize("key", OWN_AUTHORS)
def test_detail_and_find_show_only_the_articles_own_authors(client, articles, key):
    article = articles[key]
    shown, people = OWN_AUTHORS[key]
    by_id = get_json(client, f"/api/v3/articles/{article.pk}/")
    by_path = get_json(client, "/api/v3/articles/find/", html_path=f"/articles/{key}/")
    for data, text in (by_id, by_path):
        assert [author["display_name"] for author in data["authors"]] == shown
        assert jsonld_authors(data["jsonld"]) == people
        assert DRAFT_AUTHOR not in text


def test_list_shows_each_live_article_with_its_own_authors(client, articles):
    data, text = get_json(client, "/api/v3/articles/")
    bylines = {item["title"]: item["authors"] for item in data["items"]}
    assert bylines == {
        "Sleep": OWN_AUTHORS["sleep"][0],
        "Pacing": OWN_AUTHORS["pacing"][0],
    }
    assert DRAFT_AUTHOR not in text


@pytest.mark.parametrize("key", OWN_AUTHORS)
def test_the_pages_json_ld_credits_only_its_own_authors(client, articles, key):
    response = client.get(articles[key].url)
    assert response.status_code == 200
    soup = WagtailTestUtils.get_soup(response.content)
    graph = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert jsonld_authors(graph) == OWN_AUTHORS[key][1]
    assert DRAFT_AUTHOR not in response.content.decode()


def test_the_draft_and_its_author_are_not_served(client, articles):
    draft = articles["draft"]
    assert client.get(f"/api/v3/articles/{draft.pk}/").status_code == 404
    response = client.get(
        "/api/v3/articles/find/", {"html_path": "/articles/unfinished/"}
    )
    assert response.status_code == 404
    assert DRAFT_AUTHOR not in response.content.decode()
