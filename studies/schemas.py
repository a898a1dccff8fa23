"""Typed payloads of ``/api/v3/studies/``."""

from typing import Literal

from ninja import Field

from cms.api.lists import ClinicalFilters
from cms.api.schemas import PageCardSchema
from cms.core.citations import format_ama
from cms.core.serializers.fields import ChoiceDict, choice_dict_type
from studies.choices import EvidenceLevel, StudyDesign

EvidenceLevelLiteral = Literal[tuple(level.value for level in EvidenceLevel)]
#: ``{value, label}`` with the value one of the set (an OpenAPI enum).
StudyDesignChoice = choice_dict_type(StudyDesign)
EvidenceLevelChoice = choice_dict_type(EvidenceLevel)


class StudyCardSchema(PageCardSchema):
    """A study summary as its card shows it: source, year and evidence level.

    A guideline or consensus statement has no Oxford level: its level is
    `guideline`, and `guideline_grade` holds the grade its own authors give.
    """

    citation_title: str
    journal: str
    year: int | None
    citation_ama: str
    study_design: StudyDesignChoice  # type: ignore[valid-type]
    evidence_level: EvidenceLevelChoice  # type: ignore[valid-type]
    guideline_grade: str
    is_preclinical: bool

    @staticmethod
    def resolve_citation_ama(page) -> str:
        return format_ama(page.citation)

    @staticmethod
    def resolve_study_design(page) -> ChoiceDict:
        choice = page.design_choice
        return ChoiceDict(value=str(choice.value), label=str(choice.label))

    @staticmethod
    def resolve_evidence_level(page) -> ChoiceDict:
        level = page.evidence_level
        return ChoiceDict(value=str(level.value), label=str(level.label))


class StudyFilters(ClinicalFilters):
    evidence_level: EvidenceLevelLiteral | None = Field(  # type: ignore[valid-type]
        None, description="Only studies graded at this level of evidence."
    )
    order: Literal["title", "-title", "-year", "year", "-last_reviewed"] | None = Field(
        None, description="Sort key; default `title`."
    )
