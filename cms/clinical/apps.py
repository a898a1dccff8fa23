from django.apps import AppConfig
from django.db.models.signals import post_save


class ClinicalConfig(AppConfig):
    """Clinical governance: review workflow, publish rules, wording checks, report.

    It reads page types through attributes on their classes (``is_clinical``,
    ``involves_ketamine``, ``review_months_setting``), never by importing them.
    """

    name = "cms.clinical"
    label = "clinical"
    verbose_name = "Clinical governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported once the models are loaded: the handler uses workflow models.
        from cms.clinical.signals import attach_clinical_review

        # Page subclasses are many and some are defined later; the handler
        # checks the instance instead of listing senders.
        post_save.connect(attach_clinical_review, dispatch_uid="core-clinical-review")
