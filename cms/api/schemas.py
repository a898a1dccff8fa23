"""Card schemas shared by the clinic's list endpoints.

One list call gives a frontend everything a card shows: title, address,
summary, image renditions, dates, conditions and the review status. No field
here is a stub a frontend would have to resolve with another request.
"""

import datetime

from ninja import Schema

from cms.core.serializers.fields import ConditionDict, ReviewStatusLiteral
from cms.core.serializers.images import (
    LISTING_ASPECT,
    ResponsiveImageDict,
    responsive_image,
)


class ReviewSummarySchema(Schema):
    """The medical-review line of a card."""

    status: ReviewStatusLiteral
    status_label: str
    reviewed_by: str | None
    last_reviewed: datetime.date | None
    next_review_due: datetime.date | None


class PageCardSchema(Schema):
    """What every clinic card shows; page types add their own fields."""

    id: int
    type: str
    title: str
    slug: str
    url: str | None
    summary: str
    listing_image: ResponsiveImageDict | None
    first_published_at: datetime.datetime | None
    last_published_at: datetime.datetime | None
    conditions: list[ConditionDict]
    review: ReviewSummarySchema
    detail_url: str

    @staticmethod
    def resolve_type(page) -> str:
        return page._meta.label

    @staticmethod
    def resolve_url(page, context) -> str | None:
        return page.get_full_url(context["request"])

    @staticmethod
    def resolve_listing_image(page, context) -> ResponsiveImageDict | None:
        return responsive_image(
            page.listing_image, request=context["request"], aspect=LISTING_ASPECT
        )

    @staticmethod
    def resolve_conditions(page) -> list[ConditionDict]:
        return [
            ConditionDict(id=c.pk, name=c.name, slug=c.slug, description=c.description)
            for c in page.conditions.all()
        ]

    @staticmethod
    def resolve_review(page) -> dict:
        status = page.review_status
        return {
            "status": status.value,
            "status_label": status.label,
            "reviewed_by": page.reviewed_by.display_name if page.reviewed_by else None,
            "last_reviewed": page.last_reviewed,
            "next_review_due": page.next_review_due,
        }

    @staticmethod
    def resolve_detail_url(page, context) -> str:
        request = context["request"]
        return request.build_absolute_uri(f"{request.path.rstrip('/')}/{page.pk}/")
