"""Listings of services, for the services index page and ``/api/v3/services/``."""

import datetime

from django.db.models import QuerySet

from cms.core.queries import (
    CARD_PREFETCH,
    CARD_SELECT,
    filter_clinical,
    live_public,
    order_by_key,
)
from home.models import ServicePage

#: Ordering keys; the first is the default (the order editors arranged).
SERVICE_ORDERINGS = {
    "menu": ("path",),
    "title": ("title",),
    "-title": ("-title",),
    "last_reviewed": ("last_reviewed",),
    "-last_reviewed": ("-last_reviewed",),
    "-first_published_at": ("-first_published_at",),
}


def live_services(
    *,
    site=None,
    condition: str | None = None,
    review_status: str | None = None,
    reviewed_after: datetime.date | None = None,
    order: str | None = None,
) -> QuerySet:
    """Live, public service pages, with what their cards show."""
    queryset = filter_clinical(
        live_public(ServicePage, site),
        condition=condition,
        review_status=review_status,
        reviewed_after=reviewed_after,
    )
    queryset = queryset.select_related(*CARD_SELECT).prefetch_related(*CARD_PREFETCH)
    return order_by_key(queryset, SERVICE_ORDERINGS, order)
