"""Reading grade: the module's figures, and the editor's "Reading level" panel."""

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.core import readability
from cms.core.readability import (
    MIN_WORDS,
    TARGET_GRADE,
    page_reading,
    reading_level,
    reading_levels,
    sentences_from_html,
)
from cms.core.tests.helpers import logged_in
from home.tests.factories import ServicePageFactory
from studies.tests.factories import StudySummaryPageFactory

EASY = (
    "Ketamine is a medicine. Doctors have used it for many years. It can ease "
    "some kinds of long-term pain. You will stay in the clinic while you have "
    "it. A nurse will check on you. You can go home the same day. Someone must "
    "drive you."
)
HARD = (
    "Intravenous ketamine administration necessitates comprehensive "
    "cardiovascular monitoring, given the documented propensity for transient "
    "hypertension, tachycardia and dissociative phenomena. Patients with "
    "pre-existing psychiatric comorbidities or substance-use disorders require "
    "individualised multidisciplinary evaluation before commencement."
)


def test_everyday_sentences_score_within_the_target():
    level = reading_level(EASY)
    assert level.scored
    assert level.grade <= 6
    assert not level.too_hard
    assert level.verdict == "Within the grade 6 to 8 target (or easier)."


def test_clinical_jargon_scores_above_grade_8_with_a_warning():
    level = reading_level(HARD)
    assert level.grade > TARGET_GRADE
    assert level.too_hard
    assert level.label == f"Grade {level.grade:.1f}"
    assert level.verdict.startswith("Harder than grade 8")


def test_a_few_words_are_not_scored():
    level = reading_level("Call us today.")
    assert not level.scored
    assert level.words == 3 < MIN_WORDS
    assert level.label == "Too short to score"
    assert reading_level("").label == "No text yet"


def test_list_items_and_headings_end_sentences_without_a_full_stop():
    html = (
        "<h2>Side effects</h2><ul><li>Feeling sick</li><li>Headache</li></ul>"
        "<p>Call us &amp; we will help.</p>"
    )
    assert sentences_from_html(html) == [
        "Side effects.",
        "Feeling sick.",
        "Headache.",
        "Call us & we will help.",
    ]


def test_a_bulleted_list_does_not_read_as_one_long_sentence():
    items = "".join(f"<li>Feeling a little sick for an hour {n}</li>" for n in range(8))
    as_list = reading_level(" ".join(sentences_from_html(f"<ul>{items}</ul>")))
    run_together = reading_level(items.replace("<li>", " ").replace("</li>", ""))
    assert as_list.grade < run_together.grade


@pytest.mark.django_db
def test_a_service_is_scored_on_its_patient_facing_sections(service_index):
    service = ServicePageFactory(
        parent=service_index,
        summary="",
        body=[{"type": "paragraph", "value": f"<p>{EASY}</p>"}],
        risks=f"<p>{HARD}</p>",
    )
    reading = page_reading(service)
    grades = {section.label: section.level for section in reading.sections}
    assert list(grades) == ["Body", "Risks and side effects"]
    assert not grades["Body"].too_hard
    assert grades["Risks and side effects"].too_hard
    assert reading.hardest.label == "Risks and side effects"
    assert reading.overall == reading_level(f"{EASY} {HARD}")


@pytest.mark.django_db
def test_tables_are_left_out_of_the_grade(service_index):
    table = {
        "table_caption": "Schedule",
        "table_header_choice": "row",
        "data": [["Visit", "Dose"]] + [["Intravenous administration", "0.5"]] * 20,
    }
    service = ServicePageFactory(
        parent=service_index,
        body=[
            {"type": "paragraph", "value": f"<p>{EASY}</p>"},
            {"type": "table", "value": table},
        ],
    )
    assert page_reading(service).overall == reading_level(EASY)


@pytest.mark.django_db
def test_a_study_is_scored_on_its_summaries(study_index):
    study = StudySummaryPageFactory(
        parent=study_index, summary=EASY, plain_language_summary=f"<p>{HARD}</p>"
    )
    labels = [section.label for section in page_reading(study).sections]
    assert labels == ["Summary", "Plain language summary"]


@pytest.mark.django_db
def test_many_pages_are_scored_in_one_query_per_page_type(
    study_index, service_index, django_assert_num_queries
):
    pages = [
        *(StudySummaryPageFactory(parent=study_index, summary=EASY) for _ in range(3)),
        *(ServicePageFactory(parent=service_index, summary=HARD) for _ in range(3)),
    ]
    with django_assert_num_queries(2):
        levels = reading_levels(pages)
    assert [levels[page.pk].too_hard for page in pages] == [False] * 3 + [True] * 3


# The editor's panel ---------------------------------------------------------


def edit_page(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_editor_sees_the_grade_and_a_warning_above_grade_8(service_index, editor):
    service = ServicePageFactory(parent=service_index, risks=f"<p>{HARD}</p>")
    html = edit_page(logged_in(editor), service)
    grade = page_reading(service).overall.grade
    assert f"Reading grade {grade:.1f}</strong>" in html
    assert "Harder than grade 8: many patients will struggle." in html
    assert 'class="help-block help-warning" data-reading-level' in html
    assert "Risks and side effects: Grade" in html
    assert "(above grade 8)" in html
    assert "US health-literacy guidance (NIH MedlinePlus, the AMA)" in html


@pytest.mark.django_db
def test_plain_text_gets_no_warning(home_page, editor):
    index = ArticleIndexPageFactory(parent=home_page)
    article = ArticlePageFactory(
        parent=index, summary="", body=[{"type": "paragraph", "value": EASY}]
    )
    html = edit_page(logged_in(editor), article)
    assert 'class="help-block help-info" data-reading-level' in html
    assert "Within the grade 6 to 8 target (or easier)." in html
    assert "Harder than grade 8" not in html


@pytest.mark.django_db
def test_the_panel_scores_the_saved_draft(service_index, editor):
    service = ServicePageFactory(parent=service_index, risks=f"<p>{EASY}</p>")
    service.risks = f"<p>{HARD}</p>"
    service.save_revision(user=editor)
    html = edit_page(logged_in(editor), service)
    assert "Harder than grade 8" in html


def test_guidance_names_the_target_range():
    assert "grade 6 to 8" in readability.GUIDANCE
