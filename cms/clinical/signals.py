"""Signal handlers of clinical governance, connected in ``ClinicalConfig.ready``."""

from wagtail.models import Page

from cms.clinical.workflows import ensure_section_workflow, is_clinical_section


def attach_clinical_review(sender, instance, created, raw=False, **kwargs):
    """A new services, articles or studies section starts under clinical review."""
    if (
        created
        and not raw
        and isinstance(instance, Page)
        and is_clinical_section(instance)
    ):
        ensure_section_workflow(instance)
