"""Listings of study summaries, for the evidence library and ``/api/v3/studies/``."""

import datetime

from django.db.models import QuerySet

from cms.core.models import Condition
from cms.core.queries import (
    CARD_PREFETCH,
    CARD_SELECT,
    filter_clinical,
    live_public,
    order_by_key,
)
from studies.evidence import designs_with_level
from studies.models import StudySummaryPage

#: Ordering keys; the first is the default (alphabetical, as the library shows).
STUDY_ORDERINGS = {
    "title": ("title",),
    "-title": ("-title",),
    "-year": ("-year", "title"),
    "year": ("year", "title"),
    "-last_reviewed": ("-last_reviewed",),
}


def live_studies(
    *,
    site=None,
    condition: str | None = None,
    evidence_level: str | None = None,
    review_status: str | None = None,
    reviewed_after: datetime.date | None = None,
    order: str | None = None,
) -> QuerySet:
    """Live, public study summaries, with what their cards show."""
    queryset = filter_clinical(
        live_public(StudySummaryPage, site),
        condition=condition,
        review_status=review_status,
        reviewed_after=reviewed_after,
    )
    if evidence_level:
        queryset = queryset.filter(study_design__in=designs_with_level(evidence_level))
    queryset = queryset.select_related(*CARD_SELECT).prefetch_related(*CARD_PREFETCH)
    return order_by_key(queryset, STUDY_ORDERINGS, order)


def study_listing(parent, condition: str = "", evidence_level: str = "") -> QuerySet:
    """The study index: its live children by title, as visitors filter."""
    return live_studies(
        condition=condition or None, evidence_level=evidence_level or None
    ).child_of(parent)


def study_conditions(parent) -> QuerySet[Condition]:
    studies = StudySummaryPage.objects.child_of(parent).live().public()
    return (
        Condition.objects.filter(study_summaries__in=studies)
        .distinct()
        .order_by("name")
    )
