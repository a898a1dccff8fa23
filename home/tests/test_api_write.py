"""A script writes a complete service page through the v3 write API.

Approaches and related studies are inline rows, conditions and the disclaimer
are chosen by id, the body is the typed block union; the clinical publish
rules still decide what may go live.
"""

import json

import pytest
from wagtail.models import APIToken

from cms.core.tests.factories import ConditionFactory, DisclaimerFactory
from home.models import ServicePage
from studies.tests.factories import StudySummaryPageFactory


def bearer(user) -> dict:
    _token, secret = APIToken.create_token(user=user, name="import script")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, method, url, user, payload):
    return getattr(client, method)(
        url, json.dumps(payload), content_type="application/json", **bearer(user)
    )


@pytest.fixture
def study(study_index):
    return StudySummaryPageFactory(parent=study_index, title="Ketamine for pain")


@pytest.fixture
def other_study(study_index):
    return StudySummaryPageFactory(parent=study_index, title="Ketamine and CRPS")


def complete_service(parent, study, condition, disclaimer) -> dict:
    return {
        "meta": {"type": "home.ServicePage", "parent_id": parent.pk},
        "title": "Ketamine and Pain Management",
        "slug": "ketamine-pain",
        "subtitle": "Ketamine and Treatment of Pain Management",
        "summary": "A plan of medication, therapy and ketamine infusions.",
        "body": [
            {"type": "paragraph", "value": "<p>Pain management is a series.</p>"},
            {
                "type": "callout",
                "value": {"tone": "info", "text": "<p>Ask us first.</p>"},
            },
        ],
        "conditions": [condition.pk],
        "approaches": [
            {"kind": "therapy", "name": "Cognitive Behavioral Therapy"},
            {"kind": "ketamine", "name": "IKAP", "includes_family": True},
        ],
        "who_it_is_not_for": "<p>People with uncontrolled blood pressure.</p>",
        "risks": "<p>Dizziness and nausea.</p>",
        "what_to_expect": "<p>An infusion of about an hour.</p>",
        "when_to_get_help": "<p>Call 911 for chest pain.</p>",
        "involves_ketamine": True,
        "disclaimer_id": disclaimer.pk,
        "related_studies_heading": "Resources and relevant studies",
        "related_studies": [{"study_id": study.pk}],
        "booking_heading": "Book a consultation",
        "booking_text": "We answer within a day.",
    }


def test_a_complete_service_in_one_post_reads_back(
    client, publisher, service_index, study
):
    condition = ConditionFactory(name="Chronic pain")
    disclaimer = DisclaimerFactory()
    payload = complete_service(service_index, study, condition, disclaimer)
    response = send(client, "post", "/api/v3/pages/", publisher, payload)
    assert response.status_code == 201, response.content
    page_id = response.json()["id"]
    read = client.get(f"/api/v3/pages/{page_id}/?version=draft", **bearer(publisher))
    service = read.json()
    assert service["subtitle"] == "Ketamine and Treatment of Pain Management"
    assert [b["type"] for b in service["body"]] == ["paragraph", "callout"]
    assert [c["name"] for c in service["conditions"]] == ["Chronic pain"]
    assert [(a["kind"], a["name"]) for a in service["approaches"]] == [
        ("therapy", "Cognitive Behavioral Therapy"),
        ("ketamine", "IKAP"),
    ]
    assert service["approaches"][1]["includes_family"] is True
    assert "Dizziness" in service["risks"]
    assert service["involves_ketamine"] is True
    assert service["disclaimer"]["text"].startswith("<p>Ketamine is not FDA")
    assert [s["title"] for s in service["related_studies"]] == ["Ketamine for pain"]
    assert service["booking_text"] == "We answer within a day."
    assert not ServicePage.objects.get(pk=page_id).live


def test_patch_replaces_related_studies_in_the_order_sent(
    client, publisher, service_index, study, other_study
):
    payload = complete_service(
        service_index, study, ConditionFactory(), DisclaimerFactory()
    )
    page_id = send(client, "post", "/api/v3/pages/", publisher, payload).json()["id"]
    response = send(
        client,
        "patch",
        f"/api/v3/pages/{page_id}/",
        publisher,
        {
            "meta": {"type": "home.ServicePage"},
            "related_studies": [{"study_id": other_study.pk}, {"study_id": study.pk}],
            "approaches": [],
        },
    )
    assert response.status_code == 200, response.content
    latest = ServicePage.objects.get(pk=page_id).get_latest_revision_as_object()
    assert [r.study.title for r in latest.related_studies.all()] == [
        "Ketamine and CRPS",
        "Ketamine for pain",
    ]
    assert list(latest.approaches.all()) == []
    assert "Dizziness" in latest.risks  # not sent, not changed


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"disclaimer_id": 999999}, "disclaimer", "valid choice"),
        ({"approaches": [{"kind": "magic", "name": "X"}]}, "approaches.0.kind", ""),
        ({"related_studies": [{"study_id": 999999}]}, "related_studies.0.study", ""),
        (
            {"body": [{"type": "call_to_action", "value": {"page": 999999}}]},
            "call_to_action.value.page",
            "no page with id 999999",
        ),
    ],
)
def test_invalid_service_input_is_a_422_naming_the_field(
    client, publisher, service_index, study, change, where, words
):
    payload = {
        **complete_service(
            service_index, study, ConditionFactory(), DisclaimerFactory()
        ),
        **change,
    }
    response = send(client, "post", "/api/v3/pages/", publisher, payload)
    assert response.status_code == 422, response.content
    found = {
        ".".join(str(p) for p in error.get("loc", [])): error["msg"]
        for error in response.json()["errors"]
    }
    assert any(loc.endswith(where) and words in msg for loc, msg in found.items()), (
        found
    )
    assert not ServicePage.objects.filter(slug="ketamine-pain").exists()


def test_a_complete_service_cannot_be_published_unreviewed(
    client, django_user_model, service_index, study
):
    root = django_user_model.objects.create_superuser(
        username="root", email="root@example.com", password="password"
    )
    payload = complete_service(
        service_index, study, ConditionFactory(), DisclaimerFactory()
    )
    payload["meta"]["action"] = "publish"
    response = send(client, "post", "/api/v3/pages/", root, payload)
    assert response.status_code == 422
    assert "has not been medically reviewed" in response.content.decode()
    assert not ServicePage.objects.filter(slug="ketamine-pain").exists()
