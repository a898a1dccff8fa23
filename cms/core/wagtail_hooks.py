"""Admin registration for the foundation: the clinic's snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.core.models import Clinician, Condition, Disclaimer


class ClinicianViewSet(SnippetViewSet):
    model = Clinician
    icon = "user"
    menu_label = "Clinicians"
    list_display = ["name", "credentials", "role", "is_active", "user"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class ConditionViewSet(SnippetViewSet):
    model = Condition
    icon = "tag"
    menu_label = "Conditions"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class DisclaimerViewSet(SnippetViewSet):
    model = Disclaimer
    icon = "warning"
    menu_label = "Disclaimers"
    list_display = ["kind", "version", "is_active"]
    list_filter = ["kind", "is_active"]


class ClinicalContentViewSetGroup(SnippetViewSetGroup):
    """Groups the clinic's snippets under one "Clinical" menu item."""

    items = (ClinicianViewSet, ConditionViewSet, DisclaimerViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = "Clinical"
    menu_name = "clinical"


register_snippet(ClinicalContentViewSetGroup)
