from django.apps import AppConfig
from django.db.models.signals import pre_save


class HomeConfig(AppConfig):
    """The home page, the clinic's services and its general pages."""

    name = "home"
    verbose_name = "Home and services"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: the receivers name models, loaded only once apps are.
        from home import signals
        from home.models import ConsultationFormField, ConsultationFormPage

        pre_save.connect(
            signals.refuse_sensitive_field,
            sender=ConsultationFormField,
            dispatch_uid="home-consultation-field-sensitive",
        )
        pre_save.connect(
            signals.refuse_sensitive_form_going_live,
            sender=ConsultationFormPage,
            dispatch_uid="home-consultation-page-sensitive",
        )
