"""The v3 API: every page type listed and detailed, reviewers embedded, no drafts."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from articles.tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.core.tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    DisclaimerFactory,
    publish_reviewed,
)
from home.tests.factories import (
    ServiceIndexPageFactory,
    ServicePageFactory,
    StandardPageFactory,
)
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory

pytestmark = pytest.mark.django_db


def list_titles(client, **params) -> list[str]:
    response = client.get("/api/v3/pages/", params)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["items"]]


def detail(client, page, **params) -> dict:
    response = client.get(f"/api/v3/pages/{page.pk}/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def site_pages(home_page):
    """One live page of every type."""
    services = ServiceIndexPageFactory(parent=home_page, intro="<p>Our care.</p>")
    articles = ArticleIndexPageFactory(parent=home_page, intro="<p>Read more.</p>")
    studies = StudyIndexPageFactory(parent=home_page, intro="<p>Evidence.</p>")
    reviewer = ClinicianFactory(name="Rae Patel", credentials="MD", role="Director")
    study = StudySummaryPageFactory(
        parent=studies,
        title="A study",
        doi="10.1000/xyz123",
        journal="J Pain",
        year=2024,
        authors="Smith J\nLee K",
        study_design="rct",
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2026, 1, 5),
        next_review_due=datetime.date(2028, 1, 5),
    )
    study.key_points.create(text="One.", sort_order=0)
    study.key_points.create(text="Two.", sort_order=1)
    publish_reviewed(study)
    service = ServicePageFactory(
        parent=services,
        title="A service",
        involves_ketamine=True,
        disclaimer=DisclaimerFactory(version="v7"),
        risks="<p>Nausea.</p>",
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2026, 2, 1),
        next_review_due=datetime.date(2027, 2, 1),
    )
    service.conditions.set([ConditionFactory(name="Back pain")])
    service.approaches.create(kind="plan", name="Exercise")
    service.related_studies.create(study=study)
    publish_reviewed(service)
    article = ArticlePageFactory(parent=articles, title="An article")
    article.authors.create(clinician=reviewer)
    article.tags.add("sleep")
    article.related_studies.create(study=study)
    publish_reviewed(article)
    standard = StandardPageFactory(parent=home_page, title="About", intro="Hello.")
    return {
        "home": home_page,
        "services": services,
        "service": service,
        "articles": articles,
        "article": article,
        "studies": studies,
        "study": study,
        "standard": standard,
    }


@pytest.mark.parametrize(
    "key, page_type",
    [
        ("home", "home.HomePage"),
        ("services", "home.ServiceIndexPage"),
        ("service", "home.ServicePage"),
        ("standard", "home.StandardPage"),
        ("articles", "articles.ArticleIndexPage"),
        ("article", "articles.ArticlePage"),
        ("studies", "studies.StudyIndexPage"),
        ("study", "studies.StudySummaryPage"),
    ],
)
def test_every_type_is_listed_and_detailed(client, site_pages, key, page_type):
    page = site_pages[key]
    assert list_titles(client, type=page_type) == [page.title]
    data = detail(client, page)
    assert data["meta"]["type"] == page_type
    assert data["meta"]["html_url"].endswith(page.url)
    assert "medical_review" in data and "summary" in data


def test_study_detail_holds_citation_key_points_and_embedded_reviewer(
    client, site_pages
):
    data = detail(client, site_pages["study"])
    assert data["citation"]["ama"] == (
        "Smith J, Lee K. A study. J Pain. 2024. doi:10.1000/xyz123"
    )
    assert data["citation"]["doi_url"] == "https://doi.org/10.1000/xyz123"
    assert [point["text"] for point in data["key_points"]] == ["One.", "Two."]
    assert data["study_design"] == {
        "value": "rct",
        "label": "Randomised controlled trial",
    }
    assert data["evidence_level"]["value"] == "2"
    assert data["last_reviewed"] == "2026-01-05"
    assert data["next_review_due"] == "2028-01-05"
    review = data["medical_review"]
    assert review["status"] == "current"
    assert review["reviewed_by"]["display_name"] == "Rae Patel, MD"
    assert review["reviewed_by"]["role"] == "Director"
    assert [s["title"] for s in data["supported_services"]] == ["A service"]


def test_service_detail_embeds_conditions_disclaimer_and_studies(client, site_pages):
    data = detail(client, site_pages["service"])
    assert [c["name"] for c in data["conditions"]] == ["Back pain"]
    assert data["disclaimer"]["version"] == "v7"
    assert [a["name"] for a in data["approaches"]] == ["Exercise"]
    assert [s["title"] for s in data["related_studies"]] == ["A study"]
    assert data["risks"] == "<p>Nausea.</p>"
    assert data["medical_review"]["reviewed_by"]["name"] == "Rae Patel"


def test_article_detail_embeds_authors_and_tags(client, site_pages):
    data = detail(client, site_pages["article"])
    assert [a["display_name"] for a in data["authors"]] == ["Rae Patel, MD"]
    assert data["tags"] == ["sleep"]
    assert data["body"][0]["type"] == "paragraph"
    assert data["related_studies"][0]["url"] == site_pages["study"].get_full_url()


def test_home_detail_lists_live_services(client, site_pages):
    data = detail(client, site_pages["home"])
    assert [s["title"] for s in data["services"]] == ["A service"]


def test_rich_text_internal_links_are_expanded(client, site_pages):
    service = site_pages["service"]
    study = site_pages["study"]
    service.risks = f'<p>See <a linktype="page" id="{study.pk}">the study</a>.</p>'
    publish_reviewed(service)
    data = detail(client, service)
    assert f'<a href="{study.url}">the study</a>' in data["risks"]
    assert "linktype" not in data["risks"]


class TestAnonymousCallersNeverSeeDrafts:
    @pytest.fixture
    def drafts(self, site_pages):
        studies = site_pages["studies"]
        never_published = StudySummaryPageFactory(parent=studies, title="Draft study")
        never_published.unpublish()
        edited = site_pages["study"]
        edited.title = "Unpublished new title"
        edited.save_revision()  # a draft revision on a live page
        private = StudySummaryPageFactory(parent=studies, title="Private study")
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.LOGIN
        )
        return never_published, edited, private

    def test_lists_show_only_live_public_content(self, client, drafts):
        titles = list_titles(client, type="studies.StudySummaryPage")
        assert titles == ["A study"]
        assert "Draft study" not in list_titles(client, search="Draft")

    def test_details_of_drafts_and_private_pages_are_not_found(self, client, drafts):
        never_published, edited, private = drafts
        assert client.get(f"/api/v3/pages/{never_published.pk}/").status_code == 404
        assert client.get(f"/api/v3/pages/{private.pk}/").status_code == 404
        live = detail(client, edited, version="draft")
        assert live["title"] == "A study"

    def test_lookup_by_path_does_not_find_drafts(self, client, drafts):
        never_published, live, private = drafts
        found = client.get("/api/v3/pages/find/", {"html_path": live.url})
        assert found.status_code == 302
        for page in (never_published, private):
            response = client.get(
                "/api/v3/pages/find/", {"html_path": page.get_url_parts()[2]}
            )
            assert response.status_code == 404
