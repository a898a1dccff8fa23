"""From a study's design to its level of evidence: one pure, table-driven rule.

Oxford levels rank single studies. A guideline or consensus statement weighs many
studies and grades each recommendation itself (``health-anchors.md`` §4), so it
is not given an Oxford level: it is marked as graded by its own authors.
"""

from studies.choices import EvidenceLevel, StudyDesign

EVIDENCE_LEVEL_BY_DESIGN: dict[str, EvidenceLevel] = {
    StudyDesign.NOT_CLASSIFIED: EvidenceLevel.NOT_GRADED,
    StudyDesign.SYSTEMATIC_REVIEW: EvidenceLevel.LEVEL_1,
    StudyDesign.RCT: EvidenceLevel.LEVEL_2,
    StudyDesign.NON_RANDOMISED: EvidenceLevel.LEVEL_3,
    StudyDesign.COHORT: EvidenceLevel.LEVEL_3,
    StudyDesign.CASE_CONTROL: EvidenceLevel.LEVEL_4,
    StudyDesign.CASE_SERIES: EvidenceLevel.LEVEL_4,
    StudyDesign.CASE_REPORT: EvidenceLevel.LEVEL_4,
    StudyDesign.GUIDELINE: EvidenceLevel.GUIDELINE,
    StudyDesign.NARRATIVE_REVIEW: EvidenceLevel.LEVEL_5,
    StudyDesign.EXPERT_OPINION: EvidenceLevel.LEVEL_5,
    # Laboratory and animal work is never presented as clinical evidence.
    StudyDesign.ANIMAL: EvidenceLevel.PRECLINICAL,
    StudyDesign.LABORATORY: EvidenceLevel.PRECLINICAL,
}


def evidence_level_for(design: str) -> EvidenceLevel:
    """The evidence level a study design supports; unknown designs are not graded."""
    return EVIDENCE_LEVEL_BY_DESIGN.get(design, EvidenceLevel.NOT_GRADED)


def is_preclinical(design: str) -> bool:
    return evidence_level_for(design) is EvidenceLevel.PRECLINICAL


def has_own_grading(design: str) -> bool:
    """Whether the design grades itself: its authors' grade is shown, not a level."""
    return evidence_level_for(design) is EvidenceLevel.GUIDELINE


def designs_with_level(level: str) -> list[str]:
    """Every study design that gives ``level``: filters by level query on design."""
    return [
        design
        for design, design_level in EVIDENCE_LEVEL_BY_DESIGN.items()
        if design_level == level
    ]
