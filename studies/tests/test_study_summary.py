"""Study summaries: validation editors see, the page visitors read, the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset

from cms.core.tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    publish_reviewed,
)
from studies.models import StudySummaryPage
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory
from studies.tests.helpers import add_url, study_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def study_index(home_page):
    return StudyIndexPageFactory(parent=home_page)


@pytest.fixture
def full_study(study_index):
    """A study summary with every field filled in, reviewed and published."""
    reviewer = ClinicianFactory(name="Ana Reyes", credentials="MD, PhD")
    condition = ConditionFactory(name="Neuropathic pain")
    study = StudySummaryPageFactory(
        parent=study_index,
        title="IV ketamine for chronic pain: consensus guidelines",
        summary="What experts agreed about ketamine infusions.",
        citation_title="Consensus guidelines on intravenous ketamine infusions",
        authors="Cohen SP\nBhatia A",
        journal="Reg Anesth Pain Med",
        year=2018,
        volume="43",
        issue="5",
        pages="521-546",
        doi="10.1097/AAP.0000000000000808",
        pmid="29870458",
        pmcid="PMC6181464",
        source_url="https://journals.example.org/consensus",
        study_design="guideline",
        guideline_grade="Grade B, moderate certainty",
        plain_language_summary="<p>Experts found some support for infusions.</p>",
        limitations="<p>Based on expert agreement rather than trials.</p>",
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2026, 1, 5),
        next_review_due=datetime.date(2028, 1, 5),
        body=[{"type": "paragraph", "value": "<p>Extra detail for readers.</p>"}],
    )
    study.conditions.set([condition])
    study.key_points.create(text="First finding.", sort_order=0)
    study.key_points.create(text="Second finding.", sort_order=1)
    publish_reviewed(study)
    return StudySummaryPage.objects.get(pk=study.pk)


def test_study_page_shows_every_field(full_study, client):
    response = client.get(full_study.url)
    page_html = response.content.decode()
    assert response.status_code == 200
    for visible in (
        "<h1>IV ketamine for chronic pain: consensus guidelines</h1>",
        "Cohen SP, Bhatia A. Consensus guidelines on intravenous ketamine infusions. "
        "Reg Anesth Pain Med. 2018;43(5):521-546. doi:10.1097/AAP.0000000000000808",
        'href="https://doi.org/10.1097/AAP.0000000000000808"',
        'href="https://pubmed.ncbi.nlm.nih.gov/29870458/"',
        'href="https://pmc.ncbi.nlm.nih.gov/articles/PMC6181464/"',
        'href="https://journals.example.org/consensus"',
        '<dt>Type of study</dt><dd><span class="chip">Clinical guideline or '
        "consensus statement</span></dd>",
        "<dt>Grade given by its authors</dt><dd>Grade B, moderate certainty</dd>",
        '<ol class="key-points"><li>First finding.</li><li>Second finding.</li></ol>',
        "Experts found some support for infusions.",
        "Based on expert agreement rather than trials.",
        "Extra detail for readers.",
        "Neuropathic pain",
        "What experts agreed about ketamine infusions.",
        "Medically reviewed by",
        "Ana Reyes, MD, PhD",
        'Last reviewed <time datetime="2026-01-05">5 January 2026</time>',
        'Next review due <time datetime="2028-01-05">5 January 2028</time>',
    ):
        assert visible in page_html


def test_a_guideline_shows_its_own_grade_not_an_oxford_level(full_study, client):
    page_html = client.get(full_study.url).content.decode()
    assert "Grade B, moderate certainty" in page_html
    assert "Level of evidence" not in page_html
    assert "Weakest" not in page_html


def test_a_guideline_without_its_grade_points_readers_to_the_guideline(
    study_index, client
):
    study = StudySummaryPageFactory(parent=study_index, study_design="guideline")
    page_html = client.get(study.url).content.decode()
    assert (
        "<dt>Grade given by its authors</dt><dd>Not given here: see the "
        "guideline’s own grading of its recommendations.</dd>"
    ) in page_html
    assert "Weakest" not in page_html


def test_a_trial_shows_its_level_of_evidence_and_no_guideline_grade(
    study_index, client
):
    study = StudySummaryPageFactory(parent=study_index, study_design="rct")
    page_html = client.get(study.url).content.decode()
    assert (
        '<dt>Level of evidence</dt><dd><span class="badge badge--level-2">'
        "Strong: randomised trial</span></dd>"
    ) in page_html
    assert "Grade given by its authors" not in page_html


def test_the_library_card_of_a_guideline_gives_its_grade(full_study, client):
    index_html = client.get(full_study.get_parent().url).content.decode()
    assert (
        "<p>Clinical guideline or consensus statement. Grade given by its "
        "authors: Grade B, moderate certainty</p>"
    ) in index_html
    assert "Level of evidence: Weakest" not in index_html


def test_plain_language_summary_comes_before_the_key_points(full_study, client):
    page_html = client.get(full_study.url).content.decode()
    summary = page_html.index('<h2 id="summary-heading">In plain language</h2>')
    key_points = page_html.index('<h2 id="key-points-heading">Key points</h2>')
    assert summary < key_points


def test_services_citing_the_study_are_headed_related_services(clinic, client):
    page_html = client.get(clinic["study"].url).content.decode()
    heading = '<h2 id="studies-heading">Related services</h2>'
    assert heading in page_html
    services = page_html[page_html.index(heading) :]
    assert f'<a href="{clinic["service"].url}">IV ketamine</a>' in services
    assert "Services this study supports" not in page_html


def test_the_api_gives_a_guidelines_own_grade(full_study, client):
    detail = client.get(f"/api/v3/studies/{full_study.pk}/").json()
    assert detail["evidence_level"] == {
        "value": "guideline",
        "label": "Guideline: graded by its own authors",
    }
    assert detail["guideline_grade"] == "Grade B, moderate certainty"
    (card,) = client.get("/api/v3/studies/").json()["items"]
    assert card["evidence_level"]["value"] == "guideline"
    assert card["guideline_grade"] == "Grade B, moderate certainty"


def test_laboratory_study_is_labelled_as_not_evidence_in_people(study_index, client):
    study = StudySummaryPageFactory(
        parent=study_index, study_design="preclinical_animal"
    )
    page_html = client.get(study.url).content.decode()
    assert "This is a laboratory or animal study" in page_html
    assert "not evidence in people" in page_html


def test_study_index_lists_live_studies_only(study_index, client):
    StudySummaryPageFactory(parent=study_index, title="Published study")
    draft = StudySummaryPageFactory(parent=study_index, title="Draft study")
    draft.unpublish()
    page_html = client.get(study_index.url).content.decode()
    assert "Published study" in page_html
    assert "Draft study" not in page_html


def test_a_study_needs_a_way_to_find_it(study_index):
    with pytest.raises(ValidationError) as error:
        study_index.add_child(instance=StudySummaryPage(title="A", citation_title="A"))
    assert "Add at least one way to find the study" in str(
        error.value.message_dict["source_url"]
    )


def test_a_doi_is_summarised_once(study_index):
    StudySummaryPageFactory(parent=study_index, title="First", doi="10.1000/abc1")
    with pytest.raises(ValidationError) as error:
        StudySummaryPageFactory(parent=study_index, title="Second", doi="10.1000/ABC1")
    assert "already summarised on “First”" in error.value.message_dict["doi"][0]


def test_editor_creates_a_study_in_the_admin(admin_client, study_index):
    response = admin_client.post(add_url(study_index), study_form())
    assert response.status_code == 302
    study = StudySummaryPage.objects.get(slug="new-study")
    assert [p.text for p in study.key_points.all()] == ["A finding."]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"citation_title": ""},
            "“Title of the study” is missing. The title exactly as published.",
        ),
        ({"doi": "fphar.2020.599721"}, "is not a DOI. A DOI starts with 10."),
        ({"pmid": "PMC99"}, "is not a PubMed ID"),
        ({"source_url": ""}, "Add at least one way to find the study"),
        (
            {"last_reviewed": "2026-01-05"},
            "Choose the clinician who did this review, or clear the review date.",
        ),
        (
            {"key_points": inline_formset([], min=1)},
            "Please submit at least 1 form.",
        ),
    ],
)
def test_admin_refuses_to_publish_with_field_errors(
    admin_client, study_index, overrides, message
):
    # Wagtail lets drafts be saved incomplete; publishing applies every rule.
    data = study_form(**overrides)
    data["action-publish"] = "action-publish"
    response = admin_client.post(add_url(study_index), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StudySummaryPage.objects.filter(slug="new-study").exists()


def test_editor_gives_a_guidelines_own_grade_in_the_admin(admin_client, study_index):
    form_html = admin_client.get(add_url(study_index)).content.decode()
    assert "Grade given by the guideline" in form_html
    assert "Leave it empty for any other type of study." in form_html
    response = admin_client.post(
        add_url(study_index),
        study_form(study_design="guideline", guideline_grade=" Grade B "),
    )
    assert response.status_code == 302
    assert StudySummaryPage.objects.get(slug="new-study").guideline_grade == "Grade B"


def test_a_grade_on_a_study_that_is_not_a_guideline_is_refused(
    admin_client, study_index
):
    response = admin_client.post(
        add_url(study_index), study_form(study_design="rct", guideline_grade="Grade A")
    )
    assert response.status_code == 200
    assert (
        "Only a clinical guideline or consensus statement has a grade of its own."
        in response.content.decode()
    )
    assert not StudySummaryPage.objects.filter(slug="new-study").exists()
