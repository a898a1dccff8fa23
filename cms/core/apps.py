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
        # Before wagtail.api.v3 builds its page schemas (this app is listed
        # first): type StreamFields per block and give our fields the request.
        from wagtail.api.v3.schemas.generators.read import read_generator
        from wagtail.fields import StreamField

        from cms.core.api import context
        from cms.core.api.streamfield import typed_stream_schema

        context.install()
        read_generator.register_field_schema(StreamField, typed_stream_schema)

        from cms.core.signal_handlers import register_signal_handlers

        register_signal_handlers()

        from django.db.models.signals import post_save

        from cms.core.signals import attach_clinical_review

        # Page subclasses are many and some are defined later; the handler
        # checks the instance instead of listing senders.
        post_save.connect(attach_clinical_review, dispatch_uid="core-clinical-review")
