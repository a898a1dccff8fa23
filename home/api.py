"""``/api/v3/services/``: service cards, one service's full content, by id or path."""

from cms.api.routers import ContentType, content_router
from home.models import ServicePage
from home.schemas import ServiceCardSchema, ServiceFilters

router = content_router(
    ContentType(
        singular="service",
        plural="services",
        model=ServicePage,
        card_schema=ServiceCardSchema,
        filters=ServiceFilters,
        example_path="/services/iv-ketamine/",
    )
)
