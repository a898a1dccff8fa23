"""The link from a page to a study summary it cites, shared by every citing page."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class AbstractRelatedStudy(Orderable):
    """A study summary a page cites, in the order editors choose, once per page.

    Subclasses add the ``page`` parental key. Citing the same study twice on
    one page would only repeat its card, so the database refuses it.
    """

    study = models.ForeignKey(
        "studies.StudySummaryPage",
        on_delete=models.CASCADE,
        related_name="cited_by_%(app_label)s",
        help_text="A study summary that supports what this page says.",
    )

    panels = [FieldPanel("study")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "related study"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "study"], name="unique_%(class)s_study"
            )
        ]
