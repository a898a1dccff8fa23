"""The workflow task in which a clinician approves a clinical page."""

from django.urls import reverse
from wagtail.models import AbstractGroupApprovalTask

from cms.clinical import rules, workflows


class ClinicalReviewTask(AbstractGroupApprovalTask):
    """Group approval that also records the review on the page it approves.

    Approving sets "medically reviewed by" to the clinician linked to the
    approving account, "last reviewed" to today and "next review due" by the
    clinic's cadence for the page type, in a new revision that the workflow then
    publishes. An approval that cannot be recorded (no linked clinician, a
    ketamine page without its disclaimer) is refused, and the reviewer is told
    why on the page's edit screen.
    """

    class Meta:
        # Created by the foundation app before clinical governance had its own.
        db_table = "core_clinicalreviewtask"

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            page = task_state.workflow_state.content_object.specific
            if rules.approval_blockers(page, user):
                # The modal view follows this address; the view explains why.
                return reverse("clinical_review_refused", args=[page.pk])
            workflows.record_review(page, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "A medical reviewer approves the page; the approval records the "
            "reviewing clinician and the review dates."
        )
