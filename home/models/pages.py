"""General pages, e.g. 'About us' or 'Privacy'."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from cms.core.blocks import BodyStreamBlock
from cms.core.models import BasePage
from cms.core.text import first_paragraph


class StandardPage(BasePage):
    """A general page, e.g. 'About us' or 'Privacy'."""

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    page_description = "A general page such as 'About us' or 'Privacy'."

    intro = models.TextField(
        blank=True, help_text="Optional opening sentence shown in larger text."
    )
    body = StreamField(BodyStreamBlock(), help_text="The page's content.")

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    api_fields = [*BasePage.api_fields, APIField("intro"), APIField("body")]

    def description_source(self) -> str:
        return self.intro or first_paragraph(self.body)
