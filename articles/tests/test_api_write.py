"""A script writes a complete article through the v3 write API."""

import json

import pytest
from wagtail.models import APIToken

from articles.models import ArticlePage
from articles.tests.factories import ArticleIndexPageFactory
from cms.core.tests.factories import ClinicianFactory, ConditionFactory
from studies.tests.factories import StudySummaryPageFactory


def bearer(user) -> dict:
    _token, secret = APIToken.create_token(user=user, name="import script")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def article_index(home_page):
    return ArticleIndexPageFactory(parent=home_page)


def test_a_complete_article_in_one_post_then_a_patch(
    client, publisher, article_index, study_index
):
    author = ClinicianFactory(name="Rae Patel")
    study = StudySummaryPageFactory(parent=study_index, title="Ketamine for pain")
    payload = {
        "meta": {"type": "articles.ArticlePage", "parent_id": article_index.pk},
        "title": "Sleep and chronic pain",
        "slug": "sleep-and-chronic-pain",
        "summary": "Why poor sleep and pain feed each other.",
        "date": "2026-02-03",
        "authors": [{"clinician_id": author.pk}],
        "body": [
            {"type": "heading", "value": {"text": "Why sleep matters"}},
            {
                "type": "faq",
                "value": {
                    "items": [{"question": "Will it help?", "answer": "<p>Often.</p>"}]
                },
            },
        ],
        "conditions": [ConditionFactory(name="Insomnia").pk],
        "tags": ["sleep", "self care"],
        "related_studies": [{"study_id": study.pk}],
    }
    headers = bearer(publisher)
    response = client.post(
        "/api/v3/pages/",
        json.dumps(payload),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    page_id = response.json()["id"]
    article = client.get(f"/api/v3/pages/{page_id}/?version=draft", **headers).json()
    assert article["date"] == "2026-02-03"
    assert [a["name"] for a in article["authors"]] == ["Rae Patel"]
    assert article["body"][0]["value"] == {"text": "Why sleep matters", "level": "h2"}
    assert article["body"][1]["value"]["heading"] == "Frequently asked questions"
    assert [c["name"] for c in article["conditions"]] == ["Insomnia"]
    assert sorted(article["tags"]) == ["self care", "sleep"]
    assert [s["title"] for s in article["related_studies"]] == ["Ketamine for pain"]

    patched = client.patch(
        f"/api/v3/pages/{page_id}/",
        json.dumps({"meta": {"type": "articles.ArticlePage"}, "tags": ["sleep"]}),
        content_type="application/json",
        **headers,
    )
    assert patched.status_code == 200, patched.content
    latest = ArticlePage.objects.get(pk=page_id).get_latest_revision_as_object()
    assert [t.name for t in latest.tags.all()] == ["sleep"]
    assert [a.clinician.name for a in latest.authors.all()] == ["Rae Patel"]


def test_an_unknown_author_is_a_422_and_nothing_is_saved(
    client, publisher, article_index
):
    payload = {
        "meta": {"type": "articles.ArticlePage", "parent_id": article_index.pk},
        "title": "Sleep and chronic pain",
        "authors": [{"clinician_id": 999999}],
    }
    response = client.post(
        "/api/v3/pages/",
        json.dumps(payload),
        content_type="application/json",
        **bearer(publisher),
    )
    assert response.status_code == 422, response.content
    locs = [e.get("loc") for e in response.json()["errors"]]
    assert ["authors", 0, "clinician"] in locs, locs
    assert not ArticlePage.objects.exists()
