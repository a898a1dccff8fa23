from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


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
        # Imported once the models are loaded: the handlers use this app's models.
        from cms.clinical import dependants  # noqa: F401 (connects its receivers)
        from cms.clinical.enforcement import refuse_unsafe_go_live
        from cms.clinical.signals import attach_clinical_review

        # Page subclasses are many and some are defined later; the handler
        # checks the instance instead of listing senders.
        post_save.connect(attach_clinical_review, dispatch_uid="core-clinical-review")
        # Every door that makes a page version live saves the page row: the
        # editor, bulk actions, workflow approval, scheduled go-live, every
        # API write and ``Revision.publish()`` from code.
        pre_save.connect(refuse_unsafe_go_live, dispatch_uid="clinical-go-live")
