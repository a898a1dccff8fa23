"""Wording checks: known-bad sentences are flagged, known-good ones are not."""

import pytest
from django.urls import reverse

from cms.clinical.wording import check_text
from cms.core.tests.helpers import edit_form_data, logged_in
from home.tests.factories import ServicePageFactory, paragraph

FLAGGED = [
    ("Ketamine can cure chronic pain.", "“cure” is an absolute claim"),
    ("Relief is guaranteed after three sessions.", "“guaranteed” is an absolute"),
    ("Our patients report 100% satisfaction.", "“100%” is an absolute claim"),
    ("The results are permanent.", "“permanent” is an absolute claim"),
    ("IV ketamine is risk-free.", "“risk-free” is an absolute claim"),
    ("Ketamine is FDA-approved for depression.", "its use for pain or depression"),
    ("Ketamine is FDA approved to treat chronic pain.", "is off-label"),
]
NOT_FLAGGED = [
    "Ketamine may reduce pain for some patients; results vary.",
    "Ketamine is FDA-approved as an anesthetic.",
    "Ketamine is not FDA-approved for chronic pain; its use is off-label.",
    "Esketamine (Spravato) is FDA-approved for treatment-resistant depression.",
    "There is no cure for fibromyalgia yet, but symptoms can be managed.",
]


@pytest.mark.parametrize("sentence, message", FLAGGED)
def test_risky_wording_is_flagged(sentence, message):
    findings = check_text([sentence], cites_studies=True)
    assert any(message in finding.message for finding in findings), findings
    assert findings[0].sentence == sentence


@pytest.mark.parametrize("sentence", NOT_FLAGGED[:4])
def test_careful_wording_is_not_flagged(sentence):
    assert check_text([sentence], cites_studies=True) == []


def test_no_cure_is_still_flagged_for_an_editor_to_judge():
    # Checks warn; a true "there is no cure" sentence is left to the editor.
    assert check_text([NOT_FLAGGED[4]], cites_studies=True)


def test_fda_wording_is_only_checked_on_pages_about_ketamine():
    assert check_text(["Device X is FDA-approved for pain."], True) == []


def test_benefit_claims_need_a_cited_study():
    claim = "Ketamine infusions reduce pain scores."
    assert check_text([claim], cites_studies=True) == []
    [finding] = check_text([claim], cites_studies=False)
    assert "cites no study" in finding.message


@pytest.mark.django_db
def test_editor_is_warned_but_the_page_is_saved(service_index, editor):
    service = ServicePageFactory(
        parent=service_index,
        title="Ketamine for pain",
        body=paragraph("Ketamine cures chronic pain and relieves depression."),
        live=False,
    )
    service.save_revision()
    client = logged_in(editor)
    data = edit_form_data(client, service, title="Ketamine for chronic pain")
    url = reverse("wagtailadmin_pages:edit", args=[service.pk])
    html = client.post(url, data, follow=True).content.decode()
    assert "Please check this wording before the page goes to review" in html
    assert "“cures” is an absolute claim" in html
    assert "the page cites no study" in html
    service.refresh_from_db()
    assert service.get_latest_revision_as_object().title == "Ketamine for chronic pain"
