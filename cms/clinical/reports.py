"""Which clinical pages need a clinician's attention, for the admin.

Live pages whose review is overdue, due soon or missing, and pages with an open
flag (something they cited was removed, a scheduled go-live was refused).
A few queries per clinical page type, whatever the number of pages, so the
report and the dashboard stay fast as the site grows. Pages are the specific
page objects, so ``review_status`` and the reviewer need no further queries.

Synthetic pages (``generate_demo_content``, ``cms.demo``) are never listed:
they are test data for measuring the site, with no review to be due, and
thousands of them would bury the clinic's real to-do list.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, replace

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from wagtail.models import (
    GroupPagePermission,
    Page,
    Revision,
    WorkflowState,
    get_page_models,
)

from cms.clinical.records import ClinicalFlag
from cms.core.readability import TARGET_GRADE, ReadingLevel, reading_levels
from cms.core.review import DUE_SOON_DAYS, ReviewStatus
from cms.demo.models import not_synthetic

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
            .filter(needs_review, not_synthetic())
            .select_related("reviewed_by")
            .defer_streamfields()
        )
        if allowed is not None:
            queryset = queryset.filter(allowed)
        pages.extend(queryset)
    return [page for page in pages if page.review_status in NEEDS_ATTENTION]


def open_flags(user) -> dict[int, list[ClinicalFlag]]:
    """Unresolved flags by page id, newest first, on pages ``user`` may edit."""
    flags = ClinicalFlag.objects.filter(
        not_synthetic(prefix="page__"), resolved_at__isnull=True
    )
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
            model.objects.filter(not_synthetic(), pk__in=page_ids)
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
    #: Already in Clinical review: the report offers no "Start review".
    in_review: bool = False
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
    in_review = pages_in_review([row.pk for row in rows])
    levels = reading_levels([row.page for row in rows])
    return [
        replace(row, in_review=row.pk in in_review, reading=levels.get(row.pk))
        for row in rows
    ]


def pages_in_review(page_ids) -> set[int]:
    """Which of these pages are in a workflow now (one query)."""
    if not page_ids:
        return set()
    states = WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(pk) for pk in page_ids],
    )
    return {int(pk) for pk in states.values_list("object_id", flat=True)}


def scheduled_go_lives(user) -> list[dict]:
    """Clinical pages approved to go live later, soonest first, for the dashboard.

    One query for the revisions and one per clinical page type for the pages.
    """
    revisions = Revision.page_revisions.filter(
        approved_go_live_at__isnull=False
    ).order_by("approved_go_live_at")
    when = {int(rev.object_id): rev.approved_go_live_at for rev in revisions}
    if not when:
        return []
    allowed = _permitted_paths(user)
    pages = []
    for model in clinical_page_models():
        queryset = model.objects.filter(
            not_synthetic(), pk__in=list(when)
        ).defer_streamfields()
        if allowed is not None:
            queryset = queryset.filter(allowed)
        pages.extend(queryset)
    rows = [{"page": page, "go_live_at": when[page.pk]} for page in pages]
    return sorted(rows, key=lambda row: row["go_live_at"])


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
