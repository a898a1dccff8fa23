"""Admin registration for the foundation: the clinic's snippets, editor helpers."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.core.loading import IMPORTED
from cms.core.models import Clinician, Condition, Disclaimer
from cms.core.page_links import PageLinkHandler


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


@hooks.register("register_log_actions")
def register_imported(actions):
    @actions.register_action(IMPORTED)
    class ImportedFormatter(LogFormatter):
        label = "Imported"

        def format_message(self, log_entry):
            return "Created from the clinic's content file by the content loader."


@hooks.register("insert_editor_js")
def editor_js():
    """Leads editors to fields: "Still missing" links, the tab of a failed save."""
    return format_html('<script src="{}"></script>', static("core/admin/editor.js"))


@hooks.register("insert_global_admin_css")
def admin_css():
    """Review status badges coloured by urgency, wherever the admin shows them."""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("core/admin/admin.css")
    )


@hooks.register("register_rich_text_features", order=1)
def register_page_links(features):
    """Page links read plain pages (``cms/core/page_links.py``); after Wagtail's own
    registration (order 0), which this replaces."""
    features.register_link_type(PageLinkHandler)
