"""Listings of study summaries, for the evidence library and ``/api/v3/studies/``."""

import datetime

from django.db.models import QuerySet

from cms.core.queries import (
    CARD_PREFETCH,
    CARD_SELECT,
    filter_clinical,
    live_public,
    order_by_key,
)
from studies.evidence import EVIDENCE_LEVEL_BY_DESIGN
from studies.models import StudySummaryPage

#: Ordering keys; the first is the default (alphabetical, as the library shows).
STUDY_ORDERINGS = {
    "title": ("title",),
    "-title": ("-title",),
    "-year": ("-year", "title"),
    "year": ("year", "title"),
    "-last_reviewed": ("-last_reviewed",),
}


def designs_for_level(level: str) -> list[str]:
    """Every study design graded at ``level`` (see ``studies/evidence.py``)."""
    return [
        str(design)
        for design, graded in EVIDENCE_LEVEL_BY_DESIGN.items()
        if graded == level
    ]


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
        queryset = queryset.filter(study_design__in=designs_for_level(evidence_level))
    queryset = queryset.select_related(*CARD_SELECT).prefetch_related(*CARD_PREFETCH)
    return order_by_key(queryset, STUDY_ORDERINGS, order)
