from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared foundation: base pages and mixins, snippets, blocks, JSON-LD.

    It knows no concrete page type and imports none of the feature apps; the
    content apps and the feature apps build on it.
    """

    name = "cms.core"
    label = "core"
    verbose_name = "Clinic foundation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported for its side effect once the apps are loaded: it registers
        # the system check that every editor field has a label and help text.
        from cms.core import checks  # noqa: F401
        from cms.core.renditions import guard_rendition_races

        # Imported here because renditions reads Wagtail's image model, which
        # needs the app registry; the guard itself is explained there.
        guard_rendition_races()
