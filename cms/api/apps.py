from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The content API: the clinic's routers on Wagtail's v3 ``NinjaAPI``.

    Listed before ``wagtail.api.v3`` in ``INSTALLED_APPS``, so the schema hooks
    below are in place before v3 builds its page schemas.
    """

    name = "cms.api"
    label = "clinic_api"
    verbose_name = "Content API"

    def ready(self):
        # Imported once the apps are loaded: v3's schema generator reads models.
        from wagtail.api.v3.schemas.generators.read import read_generator
        from wagtail.fields import StreamField
        from wagtail.models import get_page_models

        from cms.api import context, forms, read_types, writes
        from cms.api.streamfield import typed_stream_schema

        # Type StreamFields per block, and give our fields the request.
        context.install()
        # Text fields and choices typed precisely; pages get a top-level ``type``.
        read_types.install()
        read_generator.register_field_schema(StreamField, typed_stream_schema)
        # Every editor-facing field of content pages is writable, typed
        # (cms/api/writes.py).
        writes.install()
        # Page writes report a clean() error on a field the API cannot write
        # as a 422 entry instead of crashing (cms/api/forms.py).
        forms.install(get_page_models())
