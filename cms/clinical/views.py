"""Admin views of the editorial-trust features: the review report, what a
reviewer reads after approving (or why the approval was not recorded), and
the one-click actions: withdraw from review, start a review."""

from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.clinical import banners, reports, rules, workflows
from cms.core.badges import CHANGED, ReviewBadgeColumn

page_permission_policy = PagePermissionPolicy()


def _sort_value(value):
    # Empty values sort first ascending (most urgent: never reviewed).
    return (value is not None, value or "")


class StartReviewColumn(Column):
    """A "Start review" button (a POST form), or "In Clinical review" if it is."""

    cell_template_name = "clinical/admin/start_review_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        # Cells are drawn without the request's context processors.
        context["csrf_token"] = get_token(request) if request else ""
        context["start_url"] = reverse("clinical_review_start", args=[instance.pk])
        context["back"] = request.get_full_path() if request else ""
        return context


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
        ReviewBadgeColumn(
            "status_label",
            label="Review status",
            sort_key="status",
            kind=lambda row: CHANGED if row.flags else row.status,
        ),
        Column("note", label="What changed"),
        Column("reading_label", label="Reading grade", sort_key="reading_grade"),
        Column("reviewed_by", label="Reviewed by", sort_key="reviewed_by"),
        DateColumn("last_reviewed", label="Last reviewed", sort_key="last_reviewed"),
        DateColumn(
            "next_review_due", label="Next review due", sort_key="next_review_due"
        ),
        StartReviewColumn("review_action", label="Action"),
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


def _edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def review_refused(request, page_id):
    """Tell a reviewer, in one banner, why their approval was not recorded."""
    page = get_object_or_404(Page, pk=page_id).specific
    checked = request.GET.get("fda") == "1"
    problems = rules.approval_blockers(page, request.user, fda_wording_checked=checked)
    if problems:
        banners.refusal(request, banners.not_approved_text(problems))
    return redirect(_edit_url(page))


def review_approved(request, page_id):
    """After an approval: "Approved and published" or when it goes live.

    Read from the page as it now is, so the banner says what really happened.
    Then the section's page list, where the page's status shows the same.
    """
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    banners.success(request, banners.approved_text(page))
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@require_POST
def withdraw_from_review(request, page_id):
    """The submitter takes their page back from Clinical review to change it.

    Wagtail's "cancel workflow", offered on the page's own edit screen in the
    editor's words; the page is unlocked for them at once.
    """
    page = get_object_or_404(Page, pk=page_id).specific
    state = page.current_workflow_state
    if state is None:
        banners.refusal(
            request,
            f"“{page.get_admin_display_title()}” is not in Clinical review, so "
            "there is nothing to withdraw. You can edit it.",
        )
    elif not state.user_can_cancel(request.user):
        raise PermissionDenied
    else:
        state.cancel(user=request.user)
        banners.success(request, banners.withdrawn_text(page))
    return redirect(_edit_url(page))


@require_POST
def start_review(request, page_id):
    """Put a page into Clinical review in one click, from the review report."""
    page = get_object_or_404(Page, pk=page_id).specific
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    title = page.get_admin_display_title()
    workflow = page.get_workflow()
    if page.current_workflow_state is not None:
        banners.refusal(request, f"“{title}” is already in Clinical review.")
    elif workflow is None or workflow.name != workflows.WORKFLOW_NAME:
        banners.refusal(
            request,
            f"“{title}” is not in a section under Clinical review; ask an "
            "administrator to add its section to the workflow.",
        )
    else:
        if page.get_latest_revision() is None:
            # A task reviews a version; a page loaded from files may have none.
            page.save_revision(user=request.user, clean=False)
        workflow.start(page, request.user)
        banners.success(request, banners.review_started_text(page))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("clinical_review_due")
    return redirect(back)
