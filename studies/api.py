"""``/api/v3/studies/``: study cards, one study's full content, by id or path."""

from cms.api.routers import ContentType, content_router
from studies.models import StudySummaryPage
from studies.schemas import StudyCardSchema, StudyFilters

router = content_router(
    ContentType(
        singular="study",
        plural="studies",
        model=StudySummaryPage,
        card_schema=StudyCardSchema,
        filters=StudyFilters,
        example_path="/studies/ketamine-review/",
        detail_label="study summary",
    )
)
