"""The editor's "Reading level" panel: the page's reading grade, by section.

It scores the version being edited (the latest saved draft), so saving shows
the effect of a rewrite; the logic and the guidance live in
``cms/core/readability.py``, which the clinical review report uses too, so
both show the same figure for the same text.
"""

from wagtail.admin.panels import Panel

from cms.core import readability


class ReadingLevelPanel(Panel):
    """Reading grade of the page's patient-facing text, with a warning above 8."""

    def __init__(self, heading="Reading level", **kwargs):
        super().__init__(heading=heading, **kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "reading_level"

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/panels/reading_level.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["reading"] = readability.page_reading(self.instance)
            context["target_grade"] = readability.TARGET_GRADE
            context["guidance"] = readability.GUIDANCE
            return context
