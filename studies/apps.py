from django.apps import AppConfig


class StudiesConfig(AppConfig):
    """The evidence layer: study summaries that other pages cite."""

    name = "studies"
    verbose_name = "Studies"
    default_auto_field = "django.db.models.BigAutoField"
