"""The home page: who the clinic is and what it offers."""

from django.apps import apps
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.core.blocks import BodyStreamBlock
from cms.core.models import BasePage
from cms.core.serializers.fields import PageLinkListField
from cms.core.text import editor_features, plain_text


class HomePage(BasePage):
    """The clinic's front page: who it is and what it offers."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ServiceIndexPage",
        "articles.ArticleIndexPage",
        "studies.StudyIndexPage",
        "home.StandardPage",
        "home.ConsultationFormPage",
    ]
    max_count = 1
    page_description = "The front page of the site. There is only one."

    tagline = models.CharField(
        max_length=255,
        blank=True,
        help_text="One line under the clinic's name, e.g. what it offers.",
    )
    intro = RichTextField(
        blank=True,
        features=editor_features("text"),
        help_text="A short welcome shown at the top of the home page.",
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        help_text="Optional further sections below the list of services.",
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("tagline"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    api_fields = [
        *BasePage.api_fields,
        APIField("tagline"),
        APIField("intro"),
        APIField("body"),
        APIField("services", serializer=PageLinkListField()),
    ]

    def description_source(self) -> str:
        return self.tagline or plain_text(self.intro)

    @property
    def services(self):
        """Live, public services, in the order editors arranged them."""
        service_page = apps.get_model("home", "ServicePage")
        return service_page.objects.listing().descendant_of(self)
