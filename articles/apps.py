from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """Patient-education articles."""

    name = "articles"
    verbose_name = "Articles"
    default_auto_field = "django.db.models.BigAutoField"
