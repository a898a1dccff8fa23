"""Study design → level of evidence: the whole table, pinned."""

import pytest

from studies.choices import EvidenceLevel, StudyDesign
from studies.evidence import evidence_level_for, has_own_grading, is_preclinical

EXPECTED = [
    ("", EvidenceLevel.NOT_GRADED, False),
    ("systematic_review", EvidenceLevel.LEVEL_1, False),
    ("rct", EvidenceLevel.LEVEL_2, False),
    ("non_randomised_controlled", EvidenceLevel.LEVEL_3, False),
    ("cohort", EvidenceLevel.LEVEL_3, False),
    ("case_control", EvidenceLevel.LEVEL_4, False),
    ("case_series", EvidenceLevel.LEVEL_4, False),
    ("case_report", EvidenceLevel.LEVEL_4, False),
    ("guideline", EvidenceLevel.GUIDELINE, False),
    ("narrative_review", EvidenceLevel.LEVEL_5, False),
    ("expert_opinion", EvidenceLevel.LEVEL_5, False),
    ("preclinical_animal", EvidenceLevel.PRECLINICAL, True),
    ("in_vitro", EvidenceLevel.PRECLINICAL, True),
]


@pytest.mark.parametrize("design, level, preclinical", EXPECTED)
def test_design_maps_to_its_evidence_level(design, level, preclinical):
    assert evidence_level_for(design) is level
    assert is_preclinical(design) is preclinical


@pytest.mark.parametrize("design", [design for design, _, _ in EXPECTED])
def test_only_a_guideline_is_graded_by_its_own_authors(design):
    assert has_own_grading(design) is (design == StudyDesign.GUIDELINE)


def test_a_guideline_is_not_given_an_oxford_level():
    level = evidence_level_for(StudyDesign.GUIDELINE)
    assert level.label == "Guideline: graded by its own authors"
    assert "expert opinion" not in level.label


def test_the_table_covers_every_design():
    assert sorted(design for design, _, _ in EXPECTED) == sorted(StudyDesign.values)


def test_an_unknown_design_is_not_graded_rather_than_guessed():
    assert evidence_level_for("tea_leaves") is EvidenceLevel.NOT_GRADED


def test_laboratory_and_animal_levels_say_they_are_not_evidence_in_people():
    assert EvidenceLevel.PRECLINICAL.label == (
        "Laboratory or animal study: not evidence in people"
    )


@pytest.mark.django_db
def test_the_api_marks_an_animal_study_as_preclinical(home_page, client):
    from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory

    study = StudySummaryPageFactory(
        parent=StudyIndexPageFactory(parent=home_page),
        study_design="preclinical_animal",
    )
    data = client.get(f"/api/v3/pages/{study.pk}/").json()
    assert data["is_preclinical"] is True
    assert data["evidence_level"]["value"] == "preclinical"
    assert data["evidence_level"]["label"] == (
        "Laboratory or animal study: not evidence in people"
    )
