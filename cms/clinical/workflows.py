"""The "Clinical review" workflow: its names, what an approval records, and which
sections it covers.

What must be true before a page goes live is in ``rules.py``; this module is
what happens around a review. Page types say which review cadence applies to
them (``review_months_setting`` on the page class).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Workflow, WorkflowPage

from cms.clinical.records import ClinicalApproval, ClinicalFlag
from cms.clinical.rules import clinical_snapshot, clinician_for
from cms.core.models import ClinicSettings
from cms.core.review import add_months

WORKFLOW_NAME = "Clinical review"
EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"
PUBLISHERS = "Publishers"
DEFAULT_REVIEW_MONTHS = 12
#: The page history line that says which version a clinician approved.
APPROVED_LOG_ACTION = "clinical.approved"


def review_months_for(page) -> int:
    """How many months a review of this page stays valid (ClinicSettings)."""
    setting = getattr(page, "review_months_setting", None)
    site = page.get_site()
    if setting is None or site is None:
        return DEFAULT_REVIEW_MONTHS
    return getattr(ClinicSettings.for_site(site), setting)


@transaction.atomic
def record_review(
    page,
    user,
    today: datetime.date | None = None,
    *,
    fda_wording_checked: bool = False,
):
    """Record a clinician's approval of the latest version of ``page``.

    The approval (``ClinicalApproval``) keeps the approved clinical content, so
    the rules see any later change; open flags on the page are resolved. The
    page's visible review record is set on a new revision. Only an approval
    moves the review dates; a later minor edit keeps them (NHS: "do not"
    update the review date when you have not reviewed the page).
    """
    today = today or timezone.localdate()
    latest = page.get_latest_revision_as_object()
    clinician = clinician_for(user)
    ClinicalApproval.objects.create(
        page_id=page.pk,
        revision=page.get_latest_revision(),
        clinician=clinician,
        approved_by=user,
        clinical_content=clinical_snapshot(latest),
        fda_wording_acknowledged=fda_wording_checked,
    )
    ClinicalFlag.objects.filter(page_id=page.pk, resolved_at=None).update(
        resolved_at=timezone.now()
    )
    log(
        instance=page,
        action=APPROVED_LOG_ACTION,
        user=user,
        revision=page.get_latest_revision(),
        data={
            "clinician": clinician.display_name if clinician else "",
            "fda_wording_checked": fda_wording_checked,
        },
    )
    latest.reviewed_by = clinician
    latest.last_reviewed = today
    latest.next_review_due = add_months(today, review_months_for(latest))
    return latest.save_revision(user=user, log_action=True, clean=False)


def is_clinical_section(page) -> bool:
    """A section whose children are all clinical pages (services, articles, studies)."""
    children = page.specific_class.allowed_subpage_models()
    return bool(children) and all(
        getattr(model, "is_clinical", False) for model in children
    )


def ensure_section_workflow(page) -> bool:
    """Put a clinical section under the "Clinical review" workflow; True if changed.

    An editor's own choice of workflow for the section is kept.
    """
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is None or not isinstance(page, Page):
        return False
    _, created = WorkflowPage.objects.get_or_create(
        page_id=page.pk, defaults={"workflow": workflow}
    )
    return created
