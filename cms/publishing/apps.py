from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """What happens after a change: webhooks, the task queue, cache and CDN purge."""

    name = "cms.publishing"
    label = "publishing"
    verbose_name = "Publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported once the models are loaded: the handlers use this app's models.
        from cms.publishing.signal_handlers import register_signal_handlers

        register_signal_handlers()
