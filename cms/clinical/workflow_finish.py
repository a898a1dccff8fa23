"""What happens when a workflow is approved (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

A module of its own because Wagtail imports it while its models load, so it
must import nothing from Wagtail at module level.
"""


def publish_approved(workflow_state, user=None):
    """Publish what a finished workflow approved.

    Approving in "Clinical review" is the authority to go live, so the approver
    needs no separate publish right: Medical reviewers approve, Publishers
    publish directly. The publish rules still apply; approval already checked
    them, and a version that fails them here is not published.
    """
    # Imported here, not above: Wagtail imports this module while its own
    # models load (``WorkflowState.on_finish``), before any app is ready.
    from django.core.exceptions import PermissionDenied

    from cms.clinical.rules import publish_blockers

    content = workflow_state.content_object
    # Approval may have added a revision (the review record) after this
    # instance was loaded.
    content.refresh_from_db(fields=["latest_revision"])
    revision = content.get_latest_revision()
    problems = publish_blockers(revision.as_object())
    if problems:
        raise PermissionDenied(" ".join(problems))
    revision.publish(user=user, skip_permission_checks=True)
