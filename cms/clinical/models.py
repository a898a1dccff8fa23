"""Clinical governance's models: the review task, approvals and flags."""

from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.forms import TaskStateCommentForm
from wagtail.locks import WorkflowLock
from wagtail.models import AbstractGroupApprovalTask

from cms.clinical import rules, workflows
from cms.clinical.records import ClinicalApproval, ClinicalFlag

__all__ = ["ClinicalApproval", "ClinicalFlag", "ClinicalReviewTask"]


class ApprovalForm(TaskStateCommentForm):
    """The approve dialog: an optional comment and the FDA-wording confirmation."""

    fda_wording_checked = forms.BooleanField(
        label="I have checked the FDA wording",
        required=False,
        help_text="Needed only when the page says “FDA-approved” (or cleared) "
        "beside pain or depression: ketamine is approved as an anaesthetic only.",
    )


class ClinicalReviewLock(WorkflowLock):
    """The lock of a page in review, explained to whoever finds it locked.

    The person who submitted it is told how to get it back; Wagtail's own line
    ("Only reviewers for this task can edit the page") left them stuck.
    """

    def get_message(self, user):
        if not self.for_user(user):
            return None
        state = self.object.current_workflow_state
        if state is not None and user in (
            state.requested_by,
            getattr(self.object, "owner", None),
        ):
            return (
                "Waiting for Clinical review: a medical reviewer checks this page "
                "before it goes live, so it cannot be edited now. To change it, "
                "choose “Withdraw from Clinical review” at the bottom of the screen."
            )
        return (
            "Waiting for Clinical review: only medical reviewers can edit this "
            "page until they approve it or ask for changes."
        )


class ClinicalReviewTask(AbstractGroupApprovalTask):
    """Group approval that also records the review on the page it approves.

    Approving sets "medically reviewed by" to the clinician linked to the
    approving account, "last reviewed" to today and "next review due" by the
    clinic's cadence for the page type, in a new revision that the workflow then
    publishes. An approval that cannot be recorded (no linked clinician, a
    ketamine page without its disclaimer) is refused, and the reviewer is told
    why on the page's edit screen.
    """

    lock_class = ClinicalReviewLock

    class Meta:
        # Created by the foundation app before clinical governance had its own.
        db_table = "core_clinicalreviewtask"

    def get_actions(self, obj, user):
        # Approving always opens the dialog: it shows what is still missing
        # and asks for the FDA-wording confirmation when the page needs it.
        return [
            (name, label, True if name == "approve" else needs_data)
            for name, label, needs_data in super().get_actions(obj, user)
        ]

    def get_form_for_action(self, action):
        return (
            ApprovalForm if action == "approve" else super().get_form_for_action(action)
        )

    def get_template_for_action(self, action):
        if action == "approve":
            return "clinical/workflow/approve_modal.html"
        return super().get_template_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        fda_wording_checked = bool(kwargs.pop("fda_wording_checked", False))
        if action_name == "approve":
            page = task_state.workflow_state.content_object.specific
            if rules.approval_blockers(
                page, user, fda_wording_checked=fda_wording_checked
            ):
                # The modal view follows this address; the view explains why.
                query = urlencode({"fda": "1"} if fda_wording_checked else {})
                url = reverse("clinical_review_refused", args=[page.pk])
                return f"{url}?{query}" if query else url
            workflows.record_review(page, user, fda_wording_checked=fda_wording_checked)
            super().on_action(task_state, user, action_name, **kwargs)
            # The modal view follows this address; it says published or when.
            return reverse("clinical_review_approved", args=[page.pk])
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "A medical reviewer approves the page; the approval records the "
            "reviewing clinician and the review dates."
        )
