from django.apps import AppConfig


class StudiesConfig(AppConfig):
    """The evidence layer: study summaries that other pages cite."""

    name = "studies"
    verbose_name = "Studies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every study badge links to the evidence guide: the site frame reads
        # it with the menu instead of in a query of its own (issue 16).
        # Imported here: cms.core.chrome imports models, loaded only once apps are.
        from cms.core.chrome import LINKED_PAGE_SLUGS
        from studies.evidence_guide import EVIDENCE_GUIDE_SLUG

        LINKED_PAGE_SLUGS.add(EVIDENCE_GUIDE_SLUG)
