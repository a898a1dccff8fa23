"""The clinical review workflow: who may approve, what approval records, and
what must be true before a clinical page goes live.

Pure rules over a page and a user; the admin hooks, the workflow task and the
tests all call these, so the messages editors read are written once, here.
Concrete page types are named by model string only (the foundation imports no
app).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Workflow, WorkflowPage

from cms.core.review import add_months

# ``cms.core.models`` imports this module (the review task), so functions
# import the foundation's models when they run, not at import time.

WORKFLOW_NAME = "Clinical review"
EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"
PUBLISHERS = "Publishers"

# Which ClinicSettings field holds the review cadence for each page type.
REVIEW_MONTHS_SETTING = {
    "home.servicepage": "service_review_months",
    "articles.articlepage": "article_review_months",
    "studies.studysummarypage": "study_review_months",
}
DEFAULT_REVIEW_MONTHS = 12


def review_months_for(page) -> int:
    """How many months a review of this page stays valid (ClinicSettings)."""
    from cms.core.models import ClinicSettings

    setting = REVIEW_MONTHS_SETTING.get(page._meta.label_lower)
    site = page.get_site()
    if setting is None or site is None:
        return DEFAULT_REVIEW_MONTHS
    return getattr(ClinicSettings.for_site(site), setting)


def clinician_for(user):
    """The active clinician record linked to an admin account, if any."""
    from cms.core.models import Clinician

    if user is None or not user.is_authenticated:
        return None
    return Clinician.objects.filter(user=user, is_active=True).first()


def disclaimer_blockers(page) -> list[str]:
    """Why a ketamine service cannot go live with its current disclaimer."""
    if not getattr(page, "involves_ketamine", False):
        return []
    from cms.core.models import Disclaimer

    kind = Disclaimer.Kind.KETAMINE_OFF_LABEL
    active = Disclaimer.objects.filter(kind=kind, is_active=True).first()
    chosen = page.disclaimer if page.disclaimer_id else None
    if active is None:
        return [
            "This service involves ketamine, and there is no off-label ketamine "
            "disclaimer in use. Ask a medical reviewer to add one under Clinical › "
            "Disclaimers and tick “in use”, then choose it on this page."
        ]
    if chosen is None or chosen.pk != active.pk:
        return [
            "This service involves ketamine, so it must show the off-label "
            f"ketamine disclaimer in use ({active.version}). Choose it under "
            "“Disclaimer and booking”, then publish again."
        ]
    return []


def review_blockers(page) -> list[str]:
    """Why a clinical page has no usable medical-review record."""
    if not getattr(page, "is_clinical", False):
        return []
    if page.reviewed_by_id and page.last_reviewed:
        return []
    return [
        "This clinical page has not been medically reviewed, so it cannot be "
        "published yet. Save it and choose “Submit to Clinical review”: when a "
        "medical reviewer approves it, the reviewer and review dates are "
        "recorded and the page goes live."
    ]


def publish_blockers(page) -> list[str]:
    """Everything that stops this page version going live, in editors' words."""
    return [*review_blockers(page), *disclaimer_blockers(page)]


def approval_blockers(page, user) -> list[str]:
    """Why this user cannot approve this page in clinical review right now."""
    problems = []
    if clinician_for(user) is None:
        problems.append(
            "Your account is not linked to an active clinician, so your approval "
            "cannot be recorded as a medical review. Ask an administrator to "
            "choose your account on your record under Clinical › Clinicians."
        )
    latest = page.get_latest_revision_as_object()
    problems.extend(disclaimer_blockers(latest))
    return problems


@transaction.atomic
def record_review(page, user, today: datetime.date | None = None):
    """Record a clinician's approval on a new revision of ``page``.

    Only an approval moves the review dates; a later minor edit keeps them
    (NHS: "do not" update the review date when you have not reviewed the page).
    """
    today = today or timezone.localdate()
    latest = page.get_latest_revision_as_object()
    latest.reviewed_by = clinician_for(user)
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
