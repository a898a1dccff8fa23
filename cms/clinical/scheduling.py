"""Scheduled go-live of clinical pages, with the publish rules applied at go-live.

A version may be scheduled while it passes the rules and fail them by the time
it is due (the disclaimer in use changed, its review was superseded). Such a
go-live is refused, not retried: the schedule is cleared, the page's history
says why, and a flag puts it on the dashboard and in the review report.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from cms.clinical.records import ClinicalFlag
from cms.clinical.rules import PublishRefused

GO_LIVE_REFUSED = "clinical.go_live_refused"


def due_revisions(now=None):
    """Page revisions whose scheduled go-live time has passed."""
    return (
        Revision.page_revisions.filter(
            approved_go_live_at__isnull=False,
            approved_go_live_at__lt=now or timezone.now(),
        )
        .select_related("content_type")
        .order_by("approved_go_live_at")
    )


def publish_due_clinical_pages(now=None) -> list[tuple[Page, list[str]]]:
    """Publish due clinical revisions; return the refused ones and why.

    Other pages are left to Wagtail's own ``publish_scheduled``.
    """
    refused = []
    for revision in due_revisions(now):
        model = revision.content_type.model_class()
        if not getattr(model, "is_clinical", False):
            continue
        try:
            with transaction.atomic():
                revision.publish(log_action="wagtail.publish.scheduled")
        except PublishRefused as refusal:
            refused.append((refusal.page, refusal.problems))
            _record_refusal(revision, refusal)
    return refused


def _record_refusal(revision, refusal):
    due = revision.approved_go_live_at
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
    page = Page.objects.get(pk=revision.object_id).specific
    when = timezone.localtime(due).strftime("%-d %B %Y at %H:%M") if due else ""
    message = f"Scheduled go-live on {when} was refused. " + " ".join(refusal.problems)
    ClinicalFlag.objects.create(
        page=page, kind=ClinicalFlag.Kind.GO_LIVE_REFUSED, message=message
    )
    log(
        instance=page,
        action=GO_LIVE_REFUSED,
        revision=revision,
        data={"problems": refusal.problems},
    )


def scheduled_go_live_at(page):
    """When the approved version of ``page`` goes live, or ``None``.

    A page never published carries the time on its own row; a live page's
    next version carries it on that revision (one query, only for such pages).
    """
    if not page.approved_schedule:
        return None
    if not page.live and page.go_live_at:
        return page.go_live_at
    revision = page.scheduled_revision
    return revision.approved_go_live_at if revision is not None else None
