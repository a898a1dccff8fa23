import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from cms.clinical.records import ClinicalApproval
from cms.clinical.rules import clinical_snapshot
from cms.core.loading import trusted_setup
from cms.core.models import Clinician, Condition, Disclaimer


class ClinicianFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Example Clinician {n}")
    credentials = "MD"
    role = "Medical director"
    bio = "<p>Example biography.</p>"

    class Meta:
        model = Clinician


class ConditionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Example condition {n}")

    class Meta:
        model = Condition


class DisclaimerFactory(DjangoModelFactory):
    kind = Disclaimer.Kind.KETAMINE_OFF_LABEL
    version = factory.Sequence(lambda n: f"v{n}")
    text = "<p>Ketamine is not FDA-approved for chronic pain; its use is off-label.</p>"
    is_active = True

    class Meta:
        model = Disclaimer


def approve_as_is(page):
    """Record a clinician's approval of ``page`` exactly as it now is.

    For fixtures of "reviewed" pages: the publish rules trust approvals, not
    the page's own review fields.
    """
    latest = page.get_latest_revision_as_object() if page.pk else page
    return ClinicalApproval.objects.create(
        page_id=page.pk,
        revision=page.get_latest_revision(),
        clinician_id=page.reviewed_by_id,
        clinical_content=clinical_snapshot(latest),
    )


def publish_reviewed(page):
    """Publish a fixture's change and approve it, as set-up (not as a door test)."""
    with trusted_setup("test fixture"):
        revision = page.save_revision()
        revision.publish()
    approve_as_is(page)
    return revision


class ClinicalPageFactory(wagtail_factories.PageFactory):
    """A clinical page as a test fixture, created live like the seed loader does.

    Created inside ``trusted_setup``; a page given a reviewer and review date
    gets a matching approval, as if a clinician had approved it.
    """

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with trusted_setup("test fixture"):
            page = super()._create(model_class, *args, **kwargs)
        if page.reviewed_by_id and page.last_reviewed:
            approve_as_is(page)
        return page
