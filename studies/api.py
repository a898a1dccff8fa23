"""``/api/v3/studies/``: study cards, one study's full content, by id or path."""

from cms.core.api.routers import ContentType, content_router
from studies.models import StudySummaryPage
from studies.queries import live_studies
from studies.schemas import StudyCardSchema, StudyFilters

router = content_router(
    ContentType(
        singular="study",
        plural="studies",
        model=StudySummaryPage,
        listing=live_studies,
        card_schema=StudyCardSchema,
        filters=StudyFilters,
        example_path="/studies/ketamine-review/",
        detail_label="study summary",
    )
)
