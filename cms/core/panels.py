"""Admin panels of the foundation."""

from wagtail.admin.panels import Panel


class MissingInformationPanel(Panel):
    """Lists what a page still lacks, so editors see gaps before a reviewer does.

    The page model decides what counts as missing (``missing_information()``);
    imported content deliberately leaves unknown facts empty rather than
    inventing them, and this panel is where that shows.
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
            missing = getattr(self.instance, "missing_information", None)
            context["missing"] = missing() if callable(missing) else []
            return context
