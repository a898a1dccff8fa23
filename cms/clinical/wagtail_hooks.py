"""Admin for editorial trust: publish rules, wording checks, the review report."""

import json

from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.clinical import (  # dependants_admin: imported for its hooks
    banners,
    dependants_admin,  # noqa: F401
    reports,
    rules,
    scheduling,
    views,
    wording,
    workflows,
)
from cms.core.review import ReviewStatus

page_permission_policy = PagePermissionPolicy()


# Editorial trust: publish rules, content checks, clinical review report.


def _block_publish(request, page):
    """Stop an admin publish that breaks a clinical rule; the draft is kept."""
    problems = rules.publish_blockers(page)
    if not problems:
        return None
    banners.refusal(request, banners.not_published_text(problems))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def block_unsafe_publish(request, page):
    return _block_publish(request, page)


@hooks.register("before_bulk_action")
def block_unsafe_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    for page in objects:
        page = page.specific.get_latest_revision_as_object()
        problems = rules.publish_blockers(page)
        if problems:
            banners.refusal(
                request,
                f"Nothing was published: “{page.title}” cannot go live. "
                + " ".join(problems),
            )
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def _is_approval(request) -> bool:
    return bool(
        request.POST.get("action-workflow-action")
        and request.POST.get("workflow-action-name") == "approve"
    )


def _approval_outcome(request, page):
    """Approving from the edit screen: one banner, published, scheduled or refused.

    Wagtail has already acted on the approval; whether the page is still in
    review says which way it went.
    """
    page = Page.objects.get(pk=page.pk).specific
    state = page.current_workflow_state
    if state is None:
        banners.success(request, banners.approved_text(page))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    checked = _approval_form_data(request).get("fda_wording_checked", False)
    problems = rules.approval_blockers(
        page, request.user, fda_wording_checked=bool(checked)
    )
    if problems:
        banners.refusal(request, banners.not_approved_text(problems))
    return redirect("wagtailadmin_pages:edit", page.pk)


def _after_save(request, page):
    """What the editor reads after a save, a submission or an approval."""
    if _is_approval(request):
        return _approval_outcome(request, page)
    if request.POST.get("action-submit"):
        banners.success(request, banners.submitted_text(page))
    _warn_about_wording(request, page)
    return None


def _warn_about_wording(request, page):
    """Content checks warn after every save; they never stop the save."""
    if getattr(page, "ketamine_ticked", False):
        messages.info(
            request,
            "“Involves ketamine” is now ticked: this service mentions ketamine, so "
            "it must show the off-label ketamine disclaimer before it goes live.",
        )
    latest = page.specific.get_latest_revision_as_object()
    findings = wording.check_page(latest)
    if findings:
        messages.warning(
            request,
            "Please check this wording before the page goes to review: "
            + " ".join(str(finding) for finding in findings),
        )


def _approval_form_data(request) -> dict:
    """What the approve dialog sent along with an edit ("approve while editing")."""
    try:
        data = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@hooks.register("before_copy_page")
def refuse_live_copies_of_clinical_pages(request, page):
    """A copy is a new page: it goes live only after its own Clinical review."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    pages = [page, *page.get_descendants()]
    if not any(getattr(p.specific_class, "is_clinical", False) for p in pages):
        return None
    messages.error(
        request,
        "Not copied. A copy of a clinical page goes live only after its own "
        "Clinical review: untick “Publish copies” to copy it as a draft.",
    )
    return redirect("wagtailadmin_pages:copy", page.pk)


@hooks.register("register_log_actions")
def register_clinical_log_actions(actions):
    actions.register_action(
        scheduling.GO_LIVE_REFUSED,
        "Scheduled go-live refused",
        "Scheduled go-live refused by the clinical publish rules",
    )
    actions.register_action(
        workflows.APPROVED_LOG_ACTION,
        "Clinically approved",
        "This version was approved in Clinical review",
    )


@hooks.register("after_create_page")
def warn_after_create(request, page):
    return _after_save(request, page)


@hooks.register("after_edit_page")
def warn_after_edit(request, page):
    return _after_save(request, page)


class WithdrawMenuItem(ActionMenuItem):
    """ "Withdraw from Clinical review" for the person who submitted the page.

    It posts to its own view (``formaction``), which cancels the review and
    unlocks the page; shown where Wagtail would show "Cancel workflow".
    """

    label = "Withdraw from Clinical review"
    name = "action-withdraw-review"
    icon_name = "undo"
    template_name = "clinical/workflow/withdraw_menu_item.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["formaction"] = reverse(
            "clinical_review_withdraw", args=[parent_context["page"].pk]
        )
        return context


@hooks.register("construct_page_action_menu")
def offer_withdraw_to_the_submitter(menu_items, request, context):
    """The submitter's first action: "Withdraw from Clinical review"."""
    page = context.get("page")
    state = page.current_workflow_state if page is not None else None
    if context.get("view") != "edit" or state is None:
        return
    if request.user not in (state.requested_by, getattr(page, "owner", None)):
        return
    for index, item in enumerate(menu_items):
        if item.name == "action-cancel-workflow":
            del menu_items[index]
            break
    else:
        if not state.user_can_cancel(request.user):
            return
    # First: while the page waits for review it is what the submitter can do.
    menu_items.insert(0, WithdrawMenuItem(order=0))


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path(
            "reports/clinical-review-due/",
            views.ClinicalReviewDueView.as_view(),
            name="clinical_review_due",
        ),
        path(
            "reports/clinical-review-due/results/",
            views.ClinicalReviewDueView.as_view(results_only=True),
            name="clinical_review_due_results",
        ),
        path(
            "clinical-review/<int:page_id>/not-recorded/",
            views.review_refused,
            name="clinical_review_refused",
        ),
        path(
            "clinical-review/<int:page_id>/approved/",
            views.review_approved,
            name="clinical_review_approved",
        ),
        path(
            "clinical-review/<int:page_id>/withdraw/",
            views.withdraw_from_review,
            name="clinical_review_withdraw",
        ),
        path(
            "clinical-review/<int:page_id>/start/",
            views.start_review,
            name="clinical_review_start",
        ),
    ]


class ClinicalReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return page_permission_policy.user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ClinicalReviewMenuItem(
        "Clinical review due",
        reverse("clinical_review_due"),
        name="clinical-review-due",
        icon_name="time",
        order=50,
    )


class ClinicalReviewPanel(Component):
    """Dashboard counts of reviews overdue, due soon and never done."""

    name = "clinical_review"
    template_name = "clinical/dashboard/review_panel.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        counts = reports.review_counts(self.user)
        in_reviewers = self.user.groups.filter(name=workflows.MEDICAL_REVIEWERS)
        return {
            "overdue": counts[ReviewStatus.OVERDUE],
            "due_soon": counts[ReviewStatus.DUE_SOON],
            "not_reviewed": counts[ReviewStatus.NOT_REVIEWED],
            "flags": reports.flag_counts(self.user),
            "scheduled": [
                {**row, "when": banners.when(row["go_live_at"])}
                for row in reports.scheduled_go_lives(self.user)
            ],
            "not_linked": in_reviewers.exists()
            and rules.clinician_for(self.user) is None,
        }


@hooks.register("construct_homepage_panels")
def add_clinical_review_panel(request, panels):
    if page_permission_policy.user_has_any_permission(
        request.user, ["add", "change", "publish"]
    ):
        panels.append(ClinicalReviewPanel(request.user))
