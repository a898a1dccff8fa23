"""Which clinical pages need a clinician's attention, for the admin.

Live pages whose review is overdue, due soon or missing, and pages with an open
flag (something they cited was removed, a scheduled go-live was refused).
A few queries per clinical page type, whatever the number of pages, so the
report and the dashboard stay fast as the site grows. Pages are the specific
page objects, so ``review_status`` and the reviewer need no further queries.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, replace

from django.db.models import Q
from django.utils import timezone
from wagtail.models import GroupPagePermission, get_page_models

from cms.clinical.records import ClinicalFlag
from cms.core.readability import TARGET_GRADE, ReadingLevel, reading_levels
from cms.core.review import DUE_SOON_DAYS, ReviewStatus

# Statuses the report lists, most urgent first.
NEEDS_ATTENTION = (
    ReviewStatus.OVERDUE,
    ReviewStatus.DUE_SOON,
    ReviewStatus.NOT_REVIEWED,
)


def clinical_page_models() -> list[type]:
    return [model for model in get_page_models() if getattr(model, "is_clinical", 0)]


def _permitted_paths(user, prefix: str = "") -> Q | None:
    """Restrict to subtrees the user may edit; ``None`` means everything.

    ``prefix`` reaches the page through a relation (``"page__"`` for flags).
    """
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
        query |= Q(**{f"{prefix}path__startswith": path})
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


def open_flags(user) -> dict[int, list[ClinicalFlag]]:
    """Unresolved flags by page id, newest first, on pages ``user`` may edit."""
    flags = ClinicalFlag.objects.filter(resolved_at__isnull=True)
    allowed = _permitted_paths(user, prefix="page__")
    if allowed is not None:
        flags = flags.filter(allowed)
    by_page = {}
    for flag in flags:
        by_page.setdefault(flag.page_id, []).append(flag)
    return by_page


def _clinical_pages(page_ids) -> list:
    if not page_ids:
        return []
    pages = []
    for model in clinical_page_models():
        queryset = (
            model.objects.filter(pk__in=page_ids)
            .select_related("reviewed_by")
            .defer_streamfields()
        )
        pages.extend(queryset)
    return pages


@dataclass(frozen=True)
class ReviewRow:
    """One line of the report and of its CSV export."""

    page: object
    status: ReviewStatus
    flags: tuple = ()
    #: The live text's reading grade (``cms/core/readability.py``); the report
    #: adds it, the dashboard's counts do without.
    reading: ReadingLevel | None = None

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
        # A flag says more than the review dates: the page changed since.
        return self.flags[0].get_kind_display() if self.flags else self.status.label

    @property
    def note(self) -> str:
        """What happened to a flagged page, in editors' words."""
        return " ".join(flag.message for flag in self.flags)

    @property
    def urgency(self) -> int:
        """Rank for sorting: flagged pages first, then the most urgent review."""
        if self.flags:
            return 0
        if self.status in NEEDS_ATTENTION:
            return 1 + NEEDS_ATTENTION.index(self.status)
        return len(NEEDS_ATTENTION) + 1

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

    @property
    def reading_grade(self) -> float | None:
        """The grade as a number, for sorting and the CSV (empty if unscored)."""
        if self.reading is None or not self.reading.scored:
            return None
        return round(self.reading.grade, 1)

    @property
    def reading_label(self) -> str:
        if self.reading is None:
            return ""
        if self.reading.too_hard:
            return f"{self.reading.label} (above {TARGET_GRADE})"
        return self.reading.label

    def __str__(self):
        return self.title


def review_rows(user, today: datetime.date | None = None) -> list[ReviewRow]:
    return [
        ReviewRow(page, page.review_status)
        for page in pages_needing_review(user, today)
    ]


def review_counts(user, today: datetime.date | None = None) -> Counter:
    return Counter(row.status for row in review_rows(user, today))


def report_rows(user, today: datetime.date | None = None) -> list[ReviewRow]:
    """The report: flagged pages (whatever their review dates), then the rest.

    One row per page; a flagged page that is also overdue shows the flag, and
    its dates say the rest.
    """
    flags = open_flags(user)
    rows = [
        ReviewRow(page, page.review_status, tuple(flags[page.pk]))
        for page in _clinical_pages(list(flags))
    ]
    rows += [row for row in review_rows(user, today) if row.pk not in flags]
    levels = reading_levels([row.page for row in rows])
    return [replace(row, reading=levels.get(row.pk)) for row in rows]


def flag_counts(user) -> list[dict]:
    """Pages with an open flag, per kind of flag, for the dashboard."""
    pages = Counter()
    for page_flags in open_flags(user).values():
        for kind in {flag.kind for flag in page_flags}:
            pages[kind] += 1
    return [
        {"kind": kind, "label": label, "count": pages[kind]}
        for kind, label in ClinicalFlag.Kind.choices
    ]
