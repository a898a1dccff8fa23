from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared foundation: mixins, snippets, blocks and API helpers.

    It knows no concrete page type; the content apps build on it.
    """

    name = "cms.core"
    label = "core"
    verbose_name = "Clinic foundation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from cms.core.signals import attach_clinical_review

        # Page subclasses are many and some are defined later; the handler
        # checks the instance instead of listing senders.
        post_save.connect(attach_clinical_review, dispatch_uid="core-clinical-review")
