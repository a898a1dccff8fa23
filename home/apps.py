from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page, the clinic's services and its general pages."""

    name = "home"
    verbose_name = "Home and services"
    default_auto_field = "django.db.models.BigAutoField"
