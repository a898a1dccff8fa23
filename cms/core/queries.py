"""Filters shared by every listing of clinic pages (HTML index pages and the API).

Pure functions of a queryset and filter values, so the visitor pages and the
API list the same pages for the same question.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from cms.core.review import DUE_SOON_DAYS, ReviewStatus


def review_status_q(status: str, today: datetime.date | None = None) -> Q:
    """The database form of ``cms.core.review.review_status`` for one status."""
    today = today or timezone.localdate()
    reviewed = Q(reviewed_by__isnull=False, last_reviewed__isnull=False)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    if status == ReviewStatus.NOT_REVIEWED:
        return ~reviewed
    if status == ReviewStatus.OVERDUE:
        return reviewed & (
            Q(next_review_due__isnull=True) | Q(next_review_due__lt=today)
        )
    if status == ReviewStatus.DUE_SOON:
        return reviewed & Q(next_review_due__gte=today, next_review_due__lte=soon)
    if status == ReviewStatus.CURRENT:
        return reviewed & Q(next_review_due__gt=soon)
    raise ValueError(f"Unknown review status: {status!r}")


def live_public(model, site=None) -> QuerySet:
    """Live pages nobody has restricted, optionally only those of ``site``."""
    queryset = model.objects.live().public()
    if site is not None:
        queryset = queryset.in_site(site)
    return queryset


def filter_clinical(
    queryset: QuerySet,
    *,
    condition: str | None = None,
    review_status: str | None = None,
    reviewed_after: datetime.date | None = None,
) -> QuerySet:
    """Filters every clinical page type understands."""
    if condition:
        queryset = queryset.filter(conditions__slug=condition)
    if review_status:
        queryset = queryset.filter(review_status_q(review_status))
    if reviewed_after:
        queryset = queryset.filter(last_reviewed__gt=reviewed_after)
    return queryset


def order_by_key(queryset: QuerySet, orderings: dict, order: str | None) -> QuerySet:
    """Order by a named key of ``orderings``; ``pk`` breaks ties for stable pages."""
    fields = orderings[order or next(iter(orderings))]
    return queryset.order_by(*fields, "pk")


#: Select and prefetch what every card shows, so a list's queries stay flat.
CARD_SELECT = ("reviewed_by", "listing_image")
CARD_PREFETCH = ("conditions", "listing_image__renditions")
