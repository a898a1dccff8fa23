"""Admin panels of the foundation."""

from django import forms
from django.db.models import ForeignKey
from wagtail.admin.panels import FieldPanel, InlinePanel, Panel

from cms.core import missing
from cms.core.loading import was_imported


def field_tabs(edit_handler) -> dict[str, str]:
    """Each field's (or inline panel's) tab heading in ``edit_handler``'s tabs."""
    tabs: dict[str, str] = {}

    def walk(panel, tab: str) -> None:
        if isinstance(panel, FieldPanel):
            tabs.setdefault(panel.field_name, tab)
        elif isinstance(panel, InlinePanel):
            tabs.setdefault(panel.relation_name, tab)
        for child in getattr(panel, "children", ()):
            walk(child, tab)

    for tab in getattr(edit_handler, "children", ()):
        walk(tab, str(tab.heading))
    return tabs


class MissingInformationPanel(Panel):
    """Lists what a page still lacks, so editors see gaps before a reviewer does.

    The page model decides what counts as missing (``missing_information()``,
    items of ``cms/core/missing.py``). Each person sees only the items they can
    fill in (an editor is not asked for the medical-review record, which only
    a reviewer can set), each as a link that opens the field's tab and puts
    the cursor in the field (``core/admin/editor.js``). Pages made by the
    content loader are told that unknown facts were left empty on purpose.
    """

    def __init__(self, heading="Still missing", **kwargs):
        super().__init__(heading=heading, **kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "missing_information"

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/panels/missing_information.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            find = getattr(self.instance, "missing_information", None)
            items = find() if callable(find) else []
            user = getattr(self.request, "user", None)
            tabs = field_tabs(self.panel.model.get_edit_handler())
            own = missing.for_user(items, user)
            context["missing"] = [
                {"text": item.text, "field": item.field, "tab": tabs.get(item.field)}
                for item in own
            ]
            context["left_to_reviewers"] = len(items) - len(own)
            context["imported"] = was_imported(self.instance)
            return context


class ReviewRecordPanel(FieldPanel):
    """A medical-review field: editable by reviewers, read-only for everyone else.

    The editor form disables the review record for people who may not record
    reviews (``cms.core.forms.ClinicalPageForm``), so a posted value is kept
    as saved. Here such a field is shown as plain text instead of a greyed
    widget, because a chooser or date picker still opens while disabled and
    would let an editor pick a value that is then silently dropped.
    """

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.bound_field is not None and self.bound_field.field.disabled:
                self.read_only = True

        @property
        def comments_enabled(self):
            return False if self.read_only else super().comments_enabled

    def format_value_for_display(self, value):
        if value is None or value == "":
            return "Not recorded yet"
        if isinstance(self.db_field, ForeignKey):
            return str(value)
        return super().format_value_for_display(value)


class TickBoxesPanel(FieldPanel):
    """A short multiple choice (conditions) as tick boxes.

    Django's default for a many-to-many field is a list box that needs
    Ctrl-click to choose more than one, which editors miss.
    """

    def __init__(self, field_name, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(field_name, **kwargs)
