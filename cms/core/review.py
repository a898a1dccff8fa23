"""Medical review status: one place that decides whether a page's review is current.

Kept apart from the models so templates, the API and the admin report all use
the same rule, and so it can be tested with plain dates.
"""

import datetime
from enum import StrEnum

from django.utils import timezone

DUE_SOON_DAYS = 30


class ReviewStatus(StrEnum):
    NOT_REVIEWED = "not_reviewed"
    CURRENT = "current"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return REVIEW_STATUS_LABELS[self]


REVIEW_STATUS_LABELS = {
    ReviewStatus.NOT_REVIEWED: "Not yet medically reviewed",
    ReviewStatus.CURRENT: "Review up to date",
    ReviewStatus.DUE_SOON: "Review due soon",
    ReviewStatus.OVERDUE: "Review overdue",
}


def review_status(
    reviewed_by_id: int | None,
    last_reviewed: datetime.date | None,
    next_review_due: datetime.date | None,
    today: datetime.date | None = None,
) -> ReviewStatus:
    """Classify a review record; a page without reviewer and date is unreviewed."""
    if reviewed_by_id is None or last_reviewed is None:
        return ReviewStatus.NOT_REVIEWED
    today = today or timezone.localdate()
    if next_review_due is None or next_review_due < today:
        # A reviewed page with no next date has no promise of freshness left.
        return ReviewStatus.OVERDUE
    if (next_review_due - today).days <= DUE_SOON_DAYS:
        return ReviewStatus.DUE_SOON
    return ReviewStatus.CURRENT


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to month end (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(f"Cannot add {months} months to {day}")  # pragma: no cover
