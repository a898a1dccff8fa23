"""Controlled vocabularies for study summaries (``health-anchors.md`` §4)."""

from django.db import models


class StudyDesign(models.TextChoices):
    NOT_CLASSIFIED = "", "Not yet classified"
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review or meta-analysis"
    RCT = "rct", "Randomised controlled trial"
    NON_RANDOMISED = "non_randomised_controlled", "Non-randomised controlled study"
    COHORT = "cohort", "Cohort study"
    CASE_CONTROL = "case_control", "Case-control study"
    CASE_SERIES = "case_series", "Case series"
    CASE_REPORT = "case_report", "Case report"
    GUIDELINE = "guideline", "Clinical guideline or consensus statement"
    NARRATIVE_REVIEW = "narrative_review", "Narrative review"
    EXPERT_OPINION = "expert_opinion", "Expert opinion"
    ANIMAL = "preclinical_animal", "Animal study"
    LABORATORY = "in_vitro", "Laboratory (cell) study"


class EvidenceLevel(models.TextChoices):
    """Oxford CEBM 2011 levels for treatment benefit, in plain words for patients.

    A clinical guideline or consensus statement gets no Oxford level: it grades its
    own recommendations (GRADE, USPSTF…), and the page shows that grade instead.
    """

    NOT_GRADED = "not_graded", "Not yet graded"
    LEVEL_1 = "1", "Strongest: review of randomised trials"
    LEVEL_2 = "2", "Strong: randomised trial"
    LEVEL_3 = "3", "Moderate: controlled or cohort study"
    LEVEL_4 = "4", "Limited: case series or case-control study"
    LEVEL_5 = "5", "Weakest: expert opinion or reasoning"
    GUIDELINE = "guideline", "Guideline: graded by its own authors"
    PRECLINICAL = "preclinical", "Laboratory or animal study: not evidence in people"
