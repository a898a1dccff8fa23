"""Study listings with the filters visitors use (condition, evidence level)."""

from django.db.models import QuerySet

from cms.core.listings import with_card_images
from cms.core.models import Condition
from studies.evidence import designs_with_level
from studies.models import StudySummaryPage


def study_listing(
    parent=None, condition: str = "", evidence_level: str = ""
) -> QuerySet[StudySummaryPage]:
    """Live, public study summaries by title, optionally by condition or level."""
    studies = StudySummaryPage.objects.live().public()
    if parent is not None:
        studies = studies.child_of(parent)
    if condition:
        studies = studies.filter(conditions__slug=condition)
    if evidence_level:
        studies = studies.filter(study_design__in=designs_with_level(evidence_level))
    return with_card_images(studies.distinct().order_by("title"))


def study_conditions(parent) -> QuerySet[Condition]:
    return (
        Condition.objects.filter(
            study_summaries__in=StudySummaryPage.objects.child_of(parent)
            .live()
            .public()
        )
        .distinct()
        .order_by("name")
    )
