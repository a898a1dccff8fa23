"""``/api/v3/services/``: service cards, one service's full content, by id or path."""

from cms.core.api.routers import ContentType, content_router
from home.models import ServicePage
from home.queries import live_services
from home.schemas import ServiceCardSchema, ServiceFilters

router = content_router(
    ContentType(
        singular="service",
        plural="services",
        model=ServicePage,
        listing=live_services,
        card_schema=ServiceCardSchema,
        filters=ServiceFilters,
        example_path="/services/iv-ketamine/",
    )
)
