"""Admin views of the editorial-trust features: the review report and the
explanation shown when an approval cannot be recorded."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.clinical import reports, rules

page_permission_policy = PagePermissionPolicy()


def _sort_value(value):
    # Empty values sort first ascending (most urgent: never reviewed).
    return (value is not None, value or "")


class ClinicalReviewDueView(ReportView):
    """Clinical pages a clinician should look at.

    Pages with an open flag ("Changed since review", a refused go-live) and
    live pages whose medical review is overdue, due soon or missing.
    """

    page_title = "Clinical review due"
    header_icon = "time"
    index_url_name = "clinical_review_due"
    index_results_url_name = "clinical_review_due_results"
    # Editors, reviewers and publishers: anyone with a right on pages.
    permission_policy = page_permission_policy
    any_permission_required = ["add", "change", "publish"]
    default_ordering = "next_review_due"
    export_filename = "clinical-review-due"
    columns = [
        TitleColumn(
            "title", label="Page", sort_key="title", url_name="wagtailadmin_pages:edit"
        ),
        Column("page_type", label="Type", sort_key="page_type"),
        StatusTagColumn(
            "status_label",
            label="Review status",
            sort_key="status",
            primary=lambda row: bool(row.flags) or row.status == "overdue",
        ),
        Column("note", label="What changed"),
        Column("reading_label", label="Reading grade", sort_key="reading_grade"),
        Column("reviewed_by", label="Reviewed by", sort_key="reviewed_by"),
        DateColumn("last_reviewed", label="Last reviewed", sort_key="last_reviewed"),
        DateColumn(
            "next_review_due", label="Next review due", sort_key="next_review_due"
        ),
    ]
    list_export = [
        "title",
        "page_type",
        "status_label",
        "note",
        "reading_grade",
        "reviewed_by",
        "last_reviewed",
        "next_review_due",
        "url",
    ]
    export_headings = {
        "title": "Page",
        "page_type": "Type",
        "status_label": "Review status",
        "note": "What changed",
        "reading_grade": "Reading grade",
        "reviewed_by": "Reviewed by",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Next review due",
        "url": "Address",
    }

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return self.order_queryset(reports.report_rows(self.request.user))

    def order_queryset(self, rows):
        ordering = self.ordering or self.default_ordering
        key = ordering.lstrip("-")
        if key == "status":
            return sorted(
                rows,
                key=lambda row: (row.urgency, _sort_value(row.next_review_due)),
                reverse=ordering.startswith("-"),
            )
        return sorted(
            rows,
            key=lambda row: _sort_value(getattr(row, key)),
            reverse=ordering.startswith("-"),
        )


def review_refused(request, page_id):
    """Tell a reviewer why their approval was not recorded, then show the page."""
    page = get_object_or_404(Page, pk=page_id).specific
    checked = request.GET.get("fda") == "1"
    for problem in rules.approval_blockers(
        page, request.user, fda_wording_checked=checked
    ):
        messages.error(request, f"Approval not recorded. {problem}")
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
