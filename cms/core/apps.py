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
        from cms.core.signal_handlers import register_signal_handlers

        register_signal_handlers()
