"""Listings of clinic pages, on the page models' own querysets.

The visitor index pages and the API ask the same question the same way:
``ServicePage.objects.listing(condition="back-pain", order="title")`` gives the
live, public pages with what their cards show, filtered and ordered. Each page
type subclasses ``ClinicalPageQuerySet`` to add its own filters and orderings.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from wagtail.models import PageManager, PageQuerySet

from cms.core.review import DUE_SOON_DAYS, ReviewStatus
from cms.core.visibility import restricted_q


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


class ClinicalPageQuerySet(PageQuerySet):
    """Filters every clinical page type understands, and its card listing."""

    #: Ordering keys; the first is the default. Page types override it.
    orderings: dict[str, tuple[str, ...]] = {"title": ("title",)}
    #: Select and prefetch what every card shows, so a list's queries stay flat.
    #: The listing image's renditions are not prefetched: a prefetch is a
    #: query every time, when Wagtail's rendition cache usually has them all
    #: (``cms.core.renditions.card_renditions``, called on a page of cards).
    card_select = ("reviewed_by", "listing_image")
    card_prefetch = ("conditions",)

    def live_public(self, site=None):
        """Live pages nobody has restricted, optionally only those of ``site``."""
        # The restriction check is a subquery, not Wagtail's ``public()``,
        # which costs a query of its own per listing (issue 16).
        queryset = self.live().exclude(restricted_q())
        return queryset.in_site(site) if site is not None else queryset

    def clinical_filter(
        self,
        *,
        condition: str | None = None,
        review_status: str | None = None,
        reviewed_after: datetime.date | None = None,
    ):
        queryset = self
        if condition:
            queryset = queryset.filter(conditions__slug=condition)
        if review_status:
            queryset = queryset.filter(review_status_q(review_status))
        if reviewed_after:
            queryset = queryset.filter(last_reviewed__gt=reviewed_after)
        return queryset

    def filter_extra(self, **filters):
        """Page-type filters beyond the clinical ones (none here)."""
        if filters:
            raise TypeError(f"Unknown filters: {', '.join(sorted(filters))}")
        return self

    def with_cards(self):
        """Select and prefetch what the page type's cards show."""
        return self.select_related(*self.card_select).prefetch_related(
            *self.card_prefetch
        )

    def for_html_cards(self):
        """Only what the site's own cards show: title, summary, dates, image.

        The API's cards (``with_cards``) also carry conditions, tags and
        authors; an HTML card shows none of them, so their prefetches are
        dropped here. Renditions are found by ``cms.core.renditions.card_renditions``
        once the page of cards is read.
        """
        return self.prefetch_related(None).select_related(*self.card_select)

    def ordered(self, order: str | None = None):
        """Order by a named key; ``pk`` breaks ties for stable pagination."""
        fields = self.orderings[order or next(iter(self.orderings))]
        return self.order_by(*fields, "pk")

    def listing(
        self,
        *,
        site=None,
        condition: str | None = None,
        review_status: str | None = None,
        reviewed_after: datetime.date | None = None,
        order: str | None = None,
        **filters,
    ):
        """Live, public pages with what their cards show, filtered and ordered."""
        return (
            self.live_public(site)
            .clinical_filter(
                condition=condition,
                review_status=review_status,
                reviewed_after=reviewed_after,
            )
            .filter_extra(**filters)
            .with_cards()
            .ordered(order)
        )


#: The manager of a page type whose listing is ``ClinicalPageQuerySet``.
ClinicalPageManager = PageManager.from_queryset(ClinicalPageQuerySet)
