"""Where the publish rules are enforced: every path that makes a page version live.

Every door that puts clinical content in front of patients ends in saving the
page row live: publishing a revision (the editor, bulk actions, workflow
approval, scheduled go-live, the API's create, patch, publish and revert,
``Revision.publish()`` from code), copying with ``keep_live``, creating or
converting an alias. ``refuse_unsafe_go_live`` runs before each such save and
raises ``PublishRefused``, so the change is never written and the transaction
around it is rolled back.

The one named exception is setting the site up from trusted files (the seed
loader, test fixtures), inside ``cms.core.loading.trusted_setup(reason)``.
"""

from wagtail.models import Page

from cms.clinical import rules
from cms.core.loading import trusted_setup_reason


def _changes_live_content(page, update_fields) -> bool:
    """Whether this save changes what visitors of the live page are shown."""
    if page.pk is None:
        return True  # a live copy or alias
    if update_fields is not None and not (
        set(update_fields) & {"live", "live_revision", *page.clinical_fields}
    ):
        return False  # e.g. saving a draft revision of a live page
    row = (
        Page.objects.filter(pk=page.pk)
        .values("live", "live_revision_id", "alias_of_id")
        .first()
    )
    if row is None or not row["live"] or row["alias_of_id"] != page.alias_of_id:
        return True
    if row["live_revision_id"] != page.live_revision_id:
        return True
    # Same live version saved again: only a direct edit of its fields counts.
    stored = type(page).objects.get(pk=page.pk)
    return rules.clinical_snapshot(stored) != rules.clinical_snapshot(page)


def refuse_unsafe_go_live(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` of every model: stop a clinical page going live unsafely."""
    if raw or not isinstance(instance, Page) or not instance.live:
        return
    if not getattr(instance, "is_clinical", False) or trusted_setup_reason():
        return
    if not _changes_live_content(instance, update_fields):
        return
    problems = rules.publish_blockers(instance)
    if problems:
        raise rules.PublishRefused(instance, problems)
