"""Which live clinical pages need a clinician's attention, for the admin.

One query per clinical page type, whatever the number of pages, so the report
and the dashboard stay fast as the site grows. Pages are the specific page
objects, so ``review_status`` and the reviewer need no further queries.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from wagtail.models import GroupPagePermission, get_page_models

from cms.core.review import DUE_SOON_DAYS, ReviewStatus

# Statuses the report lists, most urgent first.
NEEDS_ATTENTION = (
    ReviewStatus.OVERDUE,
    ReviewStatus.DUE_SOON,
    ReviewStatus.NOT_REVIEWED,
)


def clinical_page_models() -> list[type]:
    return [model for model in get_page_models() if getattr(model, "is_clinical", 0)]


def _permitted_paths(user) -> Q | None:
    """Restrict to subtrees the user may edit; ``None`` means everything."""
    if user is None or user.is_superuser:
        return None
    paths = (
        GroupPagePermission.objects.filter(
            group__user=user, permission__codename__in=["change_page", "publish_page"]
        )
        .values_list("page__path", flat=True)
        .distinct()
    )
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return query


def pages_needing_review(user, today: datetime.date | None = None) -> list:
    """Live clinical pages that are overdue, due within 30 days or never reviewed.

    ``user`` limits the list to pages they may edit; ``None`` lists them all.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    needs_review = (
        Q(reviewed_by__isnull=True)
        | Q(last_reviewed__isnull=True)
        | Q(next_review_due__isnull=True)
        | Q(next_review_due__lte=soon)
    )
    allowed = _permitted_paths(user)
    pages = []
    for model in clinical_page_models():
        queryset = (
            model.objects.live()
            .filter(needs_review)
            .select_related("reviewed_by")
            .defer_streamfields()
        )
        if allowed is not None:
            queryset = queryset.filter(allowed)
        pages.extend(queryset)
    return [page for page in pages if page.review_status in NEEDS_ATTENTION]


@dataclass(frozen=True)
class ReviewRow:
    """One line of the report and of its CSV export."""

    page: object
    status: ReviewStatus

    @property
    def pk(self):
        return self.page.pk

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def page_type(self) -> str:
        return self.page._meta.verbose_name.capitalize()

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def reviewed_by(self) -> str:
        reviewer = self.page.reviewed_by
        return reviewer.display_name if reviewer else ""

    @property
    def last_reviewed(self):
        return self.page.last_reviewed

    @property
    def next_review_due(self):
        return self.page.next_review_due

    @property
    def url(self) -> str:
        return self.page.full_url or ""

    def __str__(self):
        return self.title


def review_rows(user, today: datetime.date | None = None) -> list[ReviewRow]:
    return [
        ReviewRow(page, page.review_status)
        for page in pages_needing_review(user, today)
    ]


def review_counts(user, today: datetime.date | None = None) -> Counter:
    return Counter(row.status for row in review_rows(user, today))
