"""List endpoints: cards a frontend can render, filters, ordering, search, paging."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.tests.factories import ArticlePageFactory
from cms.core.tests.factories import publish_reviewed
from home.tests.factories import ServicePageFactory
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(client, url, **params) -> list[str]:
    return [item["title"] for item in get_json(client, url, **params)["items"]]


def test_service_card_holds_everything_a_card_shows(client, clinic):
    data = get_json(client, "/api/v3/services/")
    assert data["count"] == 1
    card = data["items"][0]
    service = clinic["service"]
    assert card["id"] == service.pk
    assert card["type"] == "home.ServicePage"
    assert card["title"] == "IV ketamine"
    assert card["slug"] == "iv-ketamine"
    assert card["url"] == "http://localhost/services/iv-ketamine/"
    assert card["summary"] == "Infusions for chronic pain, with monitoring."
    assert card["subtitle"] == "Ketamine and treatment of pain"
    assert card["involves_ketamine"] is True
    assert card["conditions"] == [
        {
            "id": clinic["condition"].pk,
            "name": "Back pain",
            "slug": "back-pain",
            "description": "",
        }
    ]
    assert card["review"] == {
        "status": "current",
        "status_label": "Review up to date",
        "reviewed_by": "Rae Patel, MD",
        "last_reviewed": "2026-01-05",
        "next_review_due": "2099-01-05",
    }
    assert card["detail_url"].endswith(f"/api/v3/services/{service.pk}/")
    image = card["listing_image"]
    assert image["alt"] == "A calm treatment room with a reclining chair"
    assert image["decorative"] is False
    assert (image["width"], image["height"]) == (640, 360)
    widths = [rendition["width"] for rendition in image["renditions"]]
    assert widths == [320, 640, 960, 1280]
    assert image["src"].startswith("http://")
    assert image["srcset"].split(", ")[0].endswith(" 320w")


def test_article_card_has_date_authors_and_tags(client, clinic):
    card = get_json(client, "/api/v3/articles/")["items"][0]
    assert card["date"] == "2026-03-01"
    assert card["authors"] == ["Rae Patel, MD"]
    assert card["tags"] == ["sleep"]


def test_study_card_has_citation_and_evidence_level(client, clinic):
    card = get_json(client, "/api/v3/studies/")["items"][0]
    assert card["citation_ama"].startswith("Cohen SP, Bhatia A. Ketamine for chronic")
    assert card["evidence_level"] == {
        "value": "1",
        "label": "Strongest: review of randomised trials",
    }
    assert card["study_design"]["value"] == "systematic_review"
    assert card["is_preclinical"] is False
    assert card["year"] == 2018


def test_filters_by_condition_tag_level_and_review(client, clinic):
    other = StudySummaryPageFactory(
        parent=clinic["studies"],
        title="A mouse study",
        study_design="preclinical_animal",
    )
    assert titles(client, "/api/v3/studies/", condition="back-pain") == [
        "Ketamine for chronic pain: a review"
    ]
    assert titles(client, "/api/v3/studies/", evidence_level="preclinical") == [
        other.title
    ]
    assert titles(client, "/api/v3/studies/", review_status="not_reviewed") == [
        other.title
    ]
    assert titles(client, "/api/v3/articles/", tag="sleep") == ["Sleep and pain"]
    assert titles(client, "/api/v3/articles/", tag="diet") == []
    assert titles(client, "/api/v3/services/", reviewed_after="2026-01-04") == [
        "IV ketamine"
    ]
    assert titles(client, "/api/v3/services/", reviewed_after="2026-01-05") == []
    assert titles(client, "/api/v3/services/", review_status="overdue") == []


def test_ordering_search_and_pagination(client, clinic):
    for name in ("Alpha infusion", "Zeta therapy"):
        ServicePageFactory(parent=clinic["services"], title=name)
    assert titles(client, "/api/v3/services/", order="title") == [
        "Alpha infusion",
        "IV ketamine",
        "Zeta therapy",
    ]
    assert titles(client, "/api/v3/services/", order="-title")[0] == "Zeta therapy"
    page = get_json(client, "/api/v3/services/", order="title", limit=1, offset=1)
    assert page["count"] == 3
    assert [item["title"] for item in page["items"]] == ["IV ketamine"]
    assert titles(client, "/api/v3/services/", search="zeta") == ["Zeta therapy"]


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"colour": "red"}, "colour"),
        ({"order": "sideways"}, "order"),
        ({"review_status": "fine"}, "review_status"),
        ({"reviewed_after": "yesterday"}, "reviewed_after"),
        ({"condition": "back pain!"}, "condition"),
        ({"limit": "0"}, "limit"),
        ({"limit": "100000"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "99999999999999999999999"}, "offset"),
        ({"limit": "ten"}, "limit"),
    ],
)
def test_bad_list_parameters_get_problem_json_naming_them(
    client, clinic, params, problem
):
    response = client.get("/api/v3/services/", params)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"
    assert problem in response.content.decode()


def make_many(clinic, url, start, count):
    """``count`` more live, reviewed pages of the list's type, with cards to fill."""
    for number in range(start, start + count):
        common = {
            "title": f"Page {number:02}",
            "listing_image": clinic["image"],
            "reviewed_by": clinic["reviewer"],
            "last_reviewed": datetime.date(2026, 1, 1),
        }
        if url == "/api/v3/services/":
            page = ServicePageFactory(parent=clinic["services"], **common)
        elif url == "/api/v3/articles/":
            page = ArticlePageFactory(parent=clinic["articles"], **common)
            page.authors.create(clinician=clinic["reviewer"])
            page.tags.add("sleep", f"topic-{number}")
        else:
            page = StudySummaryPageFactory(parent=clinic["studies"], **common)
        page.conditions.set([clinic["condition"]])
        publish_reviewed(page)


def count_queries(client, url) -> tuple[int, int]:
    client.get(url, {"limit": 100})  # warm the rendition cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"limit": 100})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize(
    "url", ["/api/v3/services/", "/api/v3/articles/", "/api/v3/studies/"]
)
def test_list_queries_do_not_grow_with_length(client, clinic, url):
    make_many(clinic, url, 0, 4)
    few, few_count = count_queries(client, url)
    make_many(clinic, url, 4, 45)
    many, many_count = count_queries(client, url)
    assert (few_count, many_count) == (5, 50)
    assert few == many
    assert many <= 12


def test_search_combines_with_relation_filters(client, clinic):
    assert titles(
        client, "/api/v3/studies/", search="ketamine", condition="back-pain"
    ) == ["Ketamine for chronic pain: a review"]
    assert titles(client, "/api/v3/articles/", search="sleep", tag="sleep") == [
        "Sleep and pain"
    ]
