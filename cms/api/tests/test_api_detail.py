"""Detail endpoints: one call gives a page's full typed content, by id or by path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.core.jsonld import page_graph
from cms.core.tests.factories import publish_reviewed
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db


def get_detail(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_service_detail_by_id_and_by_path_are_the_same(client, clinic):
    service = clinic["service"]
    by_id = get_detail(client, f"/api/v3/services/{service.pk}/")
    by_path = get_detail(
        client, "/api/v3/services/find/", html_path="/services/iv-ketamine/"
    )
    assert by_id == by_path
    assert by_id["meta"]["type"] == "home.ServicePage"


def test_service_body_is_typed_with_expanded_links_and_renditions(client, clinic):
    service, study = clinic["service"], clinic["study"]
    body = get_detail(client, f"/api/v3/services/{service.pk}/")["body"]
    assert [block["type"] for block in body] == [
        "heading",
        "paragraph",
        "image",
        "study_reference",
    ]
    assert body[0]["value"] == {"text": "What it is", "level": "h2"}
    assert body[1]["value"] == (
        '<p>See <a href="/studies/ketamine-review/">the review</a>.</p>'
    )
    image = body[2]["value"]["image"]
    assert image["alt"] == "Our treatment room"
    assert image["renditions"][0]["width"] == 320
    assert body[2]["value"]["caption"] == "Our room"
    assert body[3]["value"]["study"] == {
        "id": study.pk,
        "title": "Ketamine for chronic pain: a review",
        "url": "http://localhost/studies/ketamine-review/",
    }


def test_rich_text_format_parameter_is_honoured(client, clinic):
    service = clinic["service"]
    url = f"/api/v3/services/{service.pk}/"
    body = get_detail(client, url, rich_text_format="markdown")["body"]
    assert body[1]["value"].startswith("See [the review](")
    response = client.get(url, {"rich_text_format": "rtf"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_detail_embeds_reviewer_conditions_and_related_studies(client, clinic):
    data = get_detail(client, f"/api/v3/services/{clinic['service'].pk}/")
    assert data["medical_review"]["reviewed_by"]["display_name"] == "Rae Patel, MD"
    assert [c["slug"] for c in data["conditions"]] == ["back-pain"]
    assert [s["title"] for s in data["related_studies"]] == [
        "Ketamine for chronic pain: a review"
    ]
    article = get_detail(client, f"/api/v3/articles/{clinic['article'].pk}/")
    assert [a["display_name"] for a in article["authors"]] == ["Rae Patel, MD"]


def test_study_detail_has_ama_citation_and_identifier_urls(client, clinic):
    citation = get_detail(client, f"/api/v3/studies/{clinic['study'].pk}/")["citation"]
    assert citation["ama"] == (
        "Cohen SP, Bhatia A. Ketamine for chronic pain: a review. "
        "Reg Anesth Pain Med. 2018;43(5):521-546. doi:10.1097/AAP.0000000000000808"
    )
    assert citation["doi_url"] == "https://doi.org/10.1097/AAP.0000000000000808"
    assert citation["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/29870458/"
    assert citation["pmc_url"].endswith("PMC6023575/")


@pytest.mark.parametrize("key", ["service", "article", "study"])
def test_jsonld_is_the_object_the_html_page_embeds(client, clinic, key):
    page = clinic[key]
    api_graph = get_detail(client, _detail(page))["jsonld"]
    fresh = type(page).objects.get(pk=page.pk)
    assert api_graph == page_graph(fresh, fresh.clinic_settings())
    html = client.get(page.url).content.decode()
    assert api_graph["@graph"][-1]["@type"] == "BreadcrumbList"
    assert f'"@id": "{page.get_full_url()}"' in html or page.get_full_url() in html


def _detail(page) -> str:
    section = {
        "home.ServicePage": "services",
        "articles.ArticlePage": "articles",
        "studies.StudySummaryPage": "studies",
    }[page.specific._meta.label]
    return f"/api/v3/{section}/{page.pk}/"


def detail_queries(client, url) -> int:
    client.get(url)  # warm the rendition cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_detail_queries_do_not_grow_with_the_body(client, clinic):
    service, study, image = clinic["service"], clinic["study"], clinic["image"]
    url = _detail(service)
    short = detail_queries(client, url)
    blocks = [
        ("study_reference", {"study": study, "note": "More"}),
        ("image", {"image": image, "caption": "Again"}),
        (
            "faq",
            {"heading": "FAQ", "items": [{"question": "Q?", "answer": "<p>A</p>"}]},
        ),
    ]
    service.body = [*[(b.block_type, b.value) for b in service.body], *blocks * 10]
    for extra in range(5):
        service.related_studies.create(
            study=StudySummaryPageFactory(parent=clinic["studies"], title=f"S{extra}")
        )
    publish_reviewed(service)
    long = detail_queries(client, url)
    assert len(client.get(url).json()["body"]) == 34
    assert long == short
    assert short <= 25


class TestAnonymousCallersNeverSeeDrafts:
    @pytest.fixture
    def hidden(self, clinic):
        studies = clinic["studies"]
        draft = StudySummaryPageFactory(parent=studies, title="Draft study")
        draft.unpublish()
        private = StudySummaryPageFactory(parent=studies, title="Private study")
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.LOGIN
        )
        study = clinic["study"]
        study.title = "Unpublished new title"
        study.save_revision()
        return {"draft": draft, "private": private, "edited": study}

    def test_lists_and_search_show_only_live_public_pages(self, client, hidden):
        for params in ({}, {"search": "study"}, {"search": "Unpublished"}):
            items = client.get("/api/v3/studies/", params).json()["items"]
            titles = {item["title"] for item in items}
            assert not titles & {"Draft study", "Private study"}
            assert "Unpublished new title" not in titles

    def test_details_and_paths_of_hidden_pages_are_not_found(self, client, hidden):
        for page in (hidden["draft"], hidden["private"]):
            response = client.get(f"/api/v3/studies/{page.pk}/")
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
            response = client.get(
                "/api/v3/studies/find/", {"html_path": f"/studies/{page.slug}/"}
            )
            assert response.status_code == 404
        data = client.get(f"/api/v3/studies/{hidden['edited'].pk}/").json()
        assert data["title"] == "Ketamine for chronic pain: a review"

    def test_the_pages_endpoint_does_not_serve_them_either(self, client, hidden):
        # Stock ``/pages/{id}/`` is answered by cms/api/detail.py for anonymous
        # callers: the same rules as the typed endpoints.
        for page in (hidden["draft"], hidden["private"]):
            response = client.get(f"/api/v3/pages/{page.pk}/")
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
        data = client.get(f"/api/v3/pages/{hidden['edited'].pk}/").json()
        assert data["title"] == "Ketamine for chronic pain: a review"
        assert data["meta"]["parent"]["title"] == "Studies"

    def test_links_to_hidden_pages_are_dropped(self, client, clinic, hidden):
        service = clinic["service"]
        service.related_studies.create(study=hidden["private"])
        publish_reviewed(service)
        data = client.get(_detail(service)).json()
        assert [s["title"] for s in data["related_studies"]] == [
            "Ketamine for chronic pain: a review"
        ]

    def test_a_page_of_another_type_is_not_found_in_a_list(self, client, clinic):
        response = client.get(f"/api/v3/services/{clinic['study'].pk}/")
        assert response.status_code == 404
