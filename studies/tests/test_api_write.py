"""A script imports a complete study summary through the v3 write API.

The study is the seed's own ("Ketamine for pain management", its five key
points and its PubMed Central address), completed with what an editor adds
from the paper. Each test checks what the caller sees: the 201 or 422 answer,
and the study as the read API then returns it (or that nothing was saved).
"""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.models import APIToken, Page

from cms.clinical.records import ClinicalApproval
from cms.clinical.tests.helpers import approve
from cms.core.seed import load_seed
from cms.core.tests.factories import ClinicianFactory, ConditionFactory
from cms.core.tests.fixtures import make_image
from cms.core.tests.helpers import edit_form_data, logged_in
from studies.models import StudySummaryPage
from studies.tests.factories import StudySummaryPageFactory

STUDY = next(s for s in load_seed().studies if "PMC6181464" in s.source_url)


def bearer(user) -> dict:
    _token, secret = APIToken.create_token(user=user, name="import script")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, user, payload):
    return client.post(
        "/api/v3/pages/",
        json.dumps(payload),
        content_type="application/json",
        **bearer(user),
    )


def patch(client, user, page, payload):
    payload = {"meta": {"type": "studies.StudySummaryPage"}, **payload}
    return client.patch(
        f"/api/v3/pages/{page.pk}/",
        json.dumps(payload),
        content_type="application/json",
        **bearer(user),
    )


def errors(response) -> list[dict]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()["errors"]


def located(response) -> dict[str, str]:
    """``{"body.2.value.image": "no image with id 99", ...}`` of a 422 answer."""
    return {
        ".".join(str(part) for part in error.get("loc", [])): error["msg"]
        for error in errors(response)
    }


@pytest.fixture
def pain(db):
    return ConditionFactory(name="Chronic pain")


@pytest.fixture
def cancer_pain(db):
    return ConditionFactory(name="Cancer pain")


@pytest.fixture
def image(db):
    return make_image("Infusion chair")


@pytest.fixture
def backing_study(study_index):
    return StudySummaryPageFactory(parent=study_index, title="Ketamine infusions")


def complete_study(parent, conditions, image, backing_study) -> dict:
    """Every editor-facing field of a study summary, as an import script sends it."""
    study = {
        "meta": {"type": "studies.StudySummaryPage", "parent_id": parent.pk},
        "title": STUDY.title,
        "slug": "ketamine-for-pain-management",
        "seo_title": "Ketamine for pain: what the evidence says",
        "search_description": "A summary of a review of ketamine for pain.",
        "summary": "A 2018 review of ketamine for acute, cancer and chronic pain.",
        "social_text": "What a 2018 review found about ketamine for pain.",
        "listing_image_id": image.pk,
        "social_image_id": image.pk,
        "citation_title": "Ketamine for pain management",
        "authors": "Bell RF\nKalso EA",
        "journal": "Pain Rep",
        "year": 2018,
        "volume": "3",
        "issue": "5",
        "pages": "e674",
        "doi": "https://doi.org/10.1097/PR9.0000000000000674",
        "pmid": "PMID: 30534625",
        "pmcid": "PMC6181464",
        "source_url": STUDY.source_url,
        "study_design": "systematic_review",
        "key_points": [{"text": point} for point in STUDY.key_points],
        "plain_language_summary": "<p>Ketamine helps some pain after surgery.</p>",
        "limitations": "<p>Few trials looked at long-term use.</p>",
        "conditions": [c.pk for c in conditions],
        "body": [
            {"type": "heading", "value": {"text": "Background", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Ketamine blocks NMDA receptors.</p>"},
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": "An infusion chair"},
                    "caption": "Where infusions are given",
                },
            },
            {
                "type": "key_points",
                "value": {"heading": "In short", "points": ["Helps some pain."]},
            },
        ],
    }
    if backing_study is not None:
        study["body"].append(
            {
                "type": "study_reference",
                "value": {"study": backing_study.pk, "note": "A related trial"},
            }
        )
    return study


def read_draft(client, user, page_id) -> dict:
    response = client.get(f"/api/v3/pages/{page_id}/?version=draft", **bearer(user))
    assert response.status_code == 200, response.content
    return response.json()


def test_a_script_creates_a_complete_study_in_one_post(
    client, publisher, study_index, pain, cancer_pain, image, backing_study
):
    payload = complete_study(study_index, [pain, cancer_pain], image, backing_study)
    response = post(client, publisher, payload)
    assert response.status_code == 201, response.content
    page_id = response.json()["id"]

    study = read_draft(client, publisher, page_id)
    assert study["title"] == "Ketamine for pain management"
    assert study["meta"]["slug"] == "ketamine-for-pain-management"
    assert study["meta"]["seo_title"] == "Ketamine for pain: what the evidence says"
    assert study["summary"].startswith("A 2018 review")
    assert study["social_text"].startswith("What a 2018 review")
    assert study["listing_image"]["id"] == image.pk
    assert study["social_image"]["id"] == image.pk
    # Identifiers are stored bare, as the admin stores them.
    assert study["citation"]["doi"] == "10.1097/PR9.0000000000000674"
    assert study["citation"]["pmid"] == "30534625"
    assert study["citation"]["pmcid"] == "PMC6181464"
    assert study["citation"]["authors"] == ["Bell RF", "Kalso EA"]
    assert study["citation"]["journal"] == "Pain Rep"
    assert study["citation"]["year"] == 2018
    assert study["citation"]["url"] == STUDY.source_url
    assert study["study_design"]["value"] == "systematic_review"
    assert [p["text"] for p in study["key_points"]] == list(STUDY.key_points)
    assert len(study["key_points"]) == 5
    assert "after surgery" in study["plain_language_summary"]
    assert "long-term use" in study["limitations"]
    assert sorted(c["name"] for c in study["conditions"]) == [
        "Cancer pain",
        "Chronic pain",
    ]
    types = [block["type"] for block in study["body"]]
    assert types == ["heading", "paragraph", "image", "key_points", "study_reference"]
    assert study["body"][0]["value"] == {"text": "Background", "level": "h2"}
    assert study["body"][2]["value"]["image"]["alt"] == "An infusion chair"
    assert study["body"][2]["value"]["caption"] == "Where infusions are given"
    assert study["body"][3]["value"]["points"] == ["Helps some pain."]
    assert study["body"][4]["value"]["note"] == "A related trial"
    # A draft: clinical pages go live through the review, not by being written.
    assert not Page.objects.get(pk=page_id).live


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"doi": "not a doi"}, "doi", "DOI"),
        ({"conditions": [999999]}, "conditions", "999999"),
        (
            {"body": [{"type": "marquee", "value": "<p>Hi</p>"}]},
            "body.0",
            "marquee",
        ),
        (
            {"body": [{"type": "image", "value": {"image": {"image": 999999}}}]},
            "body.0.image.value.image.image",
            "no image with id 999999",
        ),
        (
            {"body": [{"type": "study_reference", "value": {"study": 999999}}]},
            "body.0.study_reference.value.study",
            "no study summary with id 999999",
        ),
        ({"citation_title": None}, "citation_title", "valid string"),
        (
            {
                "body": [
                    {
                        "type": "call_to_action",
                        "value": {"heading": "Book", "url": "not an address"},
                    }
                ]
            },
            "body",
            "body[0].value.url: Enter a valid URL.",
        ),
        # Refused by the write type's enum, which lists the designs there are.
        ({"study_design": "hunch"}, "study_design", "'systematic_review'"),
        ({"source_url": "", "doi": "", "pmid": "", "pmcid": ""}, "", "one way"),
    ],
)
def test_invalid_input_is_a_422_naming_the_field_and_nothing_is_saved(
    client,
    publisher,
    study_index,
    pain,
    image,
    backing_study,
    change,
    where,
    words,
):
    payload = {**complete_study(study_index, [pain], image, backing_study), **change}
    before = Page.objects.count()
    response = post(client, publisher, payload)
    found = located(response)
    assert any(loc.endswith(where) and words in msg for loc, msg in found.items()), (
        found
    )
    assert Page.objects.count() == before


def test_a_required_field_left_out_is_named(client, publisher, study_index, pain):
    payload = complete_study(study_index, [pain], make_image(), None)
    del payload["citation_title"]
    response = post(client, publisher, payload)
    found = located(response)
    assert any(
        loc.endswith("citation_title") and msg == "Field required"
        for loc, msg in found.items()
    ), found
    assert not StudySummaryPage.objects.filter(slug=payload["slug"]).exists()


def test_publishing_without_key_points_is_refused_as_in_the_admin(
    client, superuser, study_index, pain, image, backing_study
):
    # Drafts may be incomplete (as in the admin); going live needs a key point.
    payload = complete_study(study_index, [pain], image, backing_study)
    payload["meta"]["action"] = "publish"
    payload["key_points"] = []
    response = post(client, superuser, payload)
    assert "Please submit at least 1 form." in response.content.decode()
    assert not StudySummaryPage.objects.filter(slug=payload["slug"]).exists()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", email="root@example.com", password="password"
    )


@pytest.fixture
def draft(client, publisher, study_index, pain, image, backing_study):
    """The complete study, imported as a draft by the publisher's script."""
    payload = complete_study(study_index, [pain], image, backing_study)
    response = post(client, publisher, payload)
    assert response.status_code == 201, response.content
    return StudySummaryPage.objects.get(pk=response.json()["id"])


def test_patch_changes_each_kind_of_field_and_leaves_the_rest(
    client, publisher, draft, cancer_pain
):
    response = patch(
        client,
        publisher,
        draft,
        {
            "pmid": "https://pubmed.ncbi.nlm.nih.gov/30534625/",
            "guideline_grade": "",
            "limitations": "<p>Most trials were small.</p>",
            "conditions": [cancer_pain.pk],
            "key_points": [{"text": "Only one point now."}],
            "body": [{"type": "paragraph", "value": "<p>Rewritten.</p>"}],
        },
    )
    assert response.status_code == 200, response.content
    study = read_draft(client, publisher, draft.pk)
    assert study["citation"]["pmid"] == "30534625"
    assert "Most trials were small." in study["limitations"]
    assert [c["name"] for c in study["conditions"]] == ["Cancer pain"]
    assert [p["text"] for p in study["key_points"]] == ["Only one point now."]
    assert [b["type"] for b in study["body"]] == ["paragraph"]
    # What the patch did not mention is as it was.
    assert study["citation"]["doi"] == "10.1097/PR9.0000000000000674"
    assert "after surgery" in study["plain_language_summary"]
    assert study["study_design"]["value"] == "systematic_review"


def test_patch_keeps_key_points_sent_back_with_their_ids(client, publisher, draft):
    points = read_draft(client, publisher, draft.pk)["key_points"]
    reordered = [points[1], points[0], {"text": "A new last point."}]
    response = patch(client, publisher, draft, {"key_points": reordered})
    assert response.status_code == 200, response.content
    after = read_draft(client, publisher, draft.pk)["key_points"]
    assert [p["text"] for p in after] == [
        STUDY.key_points[1],
        STUDY.key_points[0],
        "A new last point.",
    ]
    assert [p["id"] for p in after[:2]] == [points[1]["id"], points[0]["id"]]


def test_an_invalid_patch_is_a_422_and_changes_nothing(client, publisher, draft):
    revisions = draft.revisions.count()
    response = patch(
        client, publisher, draft, {"doi": "doi:banana", "limitations": "<p>New</p>"}
    )
    assert "doi" in located(response)
    assert draft.revisions.count() == revisions
    assert "New" not in read_draft(client, publisher, draft.pk)["limitations"]


def test_only_medical_reviewers_may_write_the_review_record(
    client, publisher, reviewer, draft
):
    clinician = ClinicianFactory(name="Rae Patel")
    record = {"reviewed_by_id": clinician.pk, "last_reviewed": "2026-01-05"}
    refused = patch(client, publisher, draft, record)
    found = located(refused)
    assert "medical reviewer approves the page" in found["reviewed_by"]
    draft.refresh_from_db()
    assert draft.get_latest_revision_as_object().reviewed_by_id is None

    accepted = patch(client, reviewer, draft, record)
    assert accepted.status_code == 200, accepted.content
    latest = StudySummaryPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert latest.reviewed_by_id == clinician.pk
    assert latest.last_reviewed == datetime.date(2026, 1, 5)


def test_a_reviewer_setting_the_record_still_cannot_publish_unapproved(
    client, reviewer, superuser, draft
):
    clinician = ClinicianFactory(name="Rae Patel")
    response = patch(
        client,
        superuser,
        draft,
        {
            "meta": {"type": "studies.StudySummaryPage", "action": "publish"},
            "reviewed_by_id": clinician.pk,
            "last_reviewed": "2026-01-05",
            "next_review_due": "2099-01-05",
        },
    )
    assert "has not been medically reviewed" in response.content.decode()
    assert response.status_code == 422
    assert not StudySummaryPage.objects.get(pk=draft.pk).live
    assert not ClinicalApproval.objects.filter(page_id=draft.pk).exists()


def test_create_with_publish_is_refused_without_the_clinical_review(
    client, superuser, study_index, pain, image, backing_study
):
    payload = complete_study(study_index, [pain], image, backing_study)
    payload["meta"]["action"] = "publish"
    response = post(client, superuser, payload)
    body = response.content.decode()
    assert response.status_code == 422, body
    assert response["Content-Type"].startswith("application/problem+json")
    assert "has not been medically reviewed" in body
    assert not StudySummaryPage.objects.filter(slug=payload["slug"]).exists()
    assert client.get("/api/v3/studies/").json()["items"] == [
        card
        for card in client.get("/api/v3/studies/").json()["items"]
        if card["title"] != STUDY.title
    ]


def test_an_imported_study_goes_live_through_the_clinical_review(
    client, publisher, reviewer, study_index, pain, image
):
    payload = complete_study(study_index, [pain], image, None)
    payload["body"] = [{"type": "paragraph", "value": "<p>NMDA receptors.</p>"}]
    created = post(client, publisher, payload)
    assert created.status_code == 201, created.content
    draft = StudySummaryPage.objects.get(pk=created.json()["id"])
    # The normal path: submitted for review in the admin, approved by a reviewer.
    editor_client = logged_in(publisher)
    data = edit_form_data(editor_client, draft)
    data["action-submit"] = "Submit to Clinical review"
    submitted = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]), data
    )
    assert submitted.status_code == 302
    response = approve(logged_in(reviewer), draft)
    assert response.status_code == 200
    live = client.get(f"/api/v3/studies/{draft.pk}/")
    assert live.status_code == 200, live.content
    study = live.json()
    assert [p["text"] for p in study["key_points"]] == list(STUDY.key_points)
    assert study["medical_review"]["reviewed_by"]["name"] == "Ana Reyes"

    # Afterwards a search-only change publishes directly; a clinical one does not.
    seo = patch(
        client,
        publisher,
        draft,
        {
            "meta": {"type": "studies.StudySummaryPage", "action": "publish"},
            "seo_title": "Ketamine and pain: a 2018 review",
        },
    )
    assert seo.status_code == 200, seo.content
    clinical = patch(
        client,
        publisher,
        draft,
        {
            "meta": {"type": "studies.StudySummaryPage", "action": "publish"},
            "key_points": [{"text": "Ketamine cures all pain."}],
        },
    )
    assert clinical.status_code == 422
    assert "changed since the last medical review" in clinical.content.decode()
    points = client.get(f"/api/v3/studies/{draft.pk}/").json()["key_points"]
    assert [p["text"] for p in points] == list(STUDY.key_points)


@pytest.mark.parametrize("who", ["no_rights", "editor_elsewhere"])
def test_a_token_without_page_rights_gets_403(
    client, django_user_model, study_index, pain, image, backing_study, who
):
    user = django_user_model.objects.create_user(username=who, password="password")
    payload = complete_study(study_index, [pain], image, backing_study)
    response = post(client, user, payload)
    assert response.status_code == 403, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert not StudySummaryPage.objects.filter(slug=payload["slug"]).exists()


def test_the_example_in_the_api_guide_creates_a_study(
    client, publisher, study_index, pain, cancer_pain, image, backing_study
):
    guide = (Path(__file__).parents[2] / "docs" / "api.md").read_text()
    section = guide[guide.index("### Writing content") :]
    example = json.loads(section.split("<<'JSON'\n", 1)[1].split("\nJSON\n", 1)[0])
    # The guide's ids, replaced by this database's.
    example["meta"]["parent_id"] = study_index.pk
    example["listing_image_id"] = image.pk
    example["conditions"] = [pain.pk, cancer_pain.pk]
    example["body"][2]["value"]["image"]["image"] = image.pk
    example["body"][3]["value"]["study"] = backing_study.pk
    response = post(client, publisher, example)
    assert response.status_code == 201, response.content
    study = read_draft(client, publisher, response.json()["id"])
    assert study["citation"]["pmid"] == "30534625"
    assert study["body"][0]["value"] == {"text": "Background", "level": "h2"}
