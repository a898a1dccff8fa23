"""The publish rules: what must be true before a clinical page version goes live.

One engine for every door. The admin hooks, bulk publish, workflow approval
and the workflow's finish action all ask ``publish_blockers``; the messages
editors read are written once, here. Pure rules over a page (and a user for
approval); concrete page types are recognised by attributes on their classes
(``is_clinical``, ``involves_ketamine``), never imported.
"""

from cms.core.models import Clinician, Disclaimer


def clinician_for(user):
    """The active clinician record linked to an admin account, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Clinician.objects.filter(user=user, is_active=True).first()


def disclaimer_blockers(page) -> list[str]:
    """Why a ketamine service cannot go live with its current disclaimer."""
    if not getattr(page, "involves_ketamine", False):
        return []
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
