"""The home page: who the clinic is and what it offers."""

from itertools import chain

from django.apps import apps
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.core.blocks import BodyStreamBlock
from cms.core.models import BasePage
from cms.core.renditions import card_renditions
from cms.core.serializers.fields import PageLinkListField
from cms.core.text import editor_features, plain_text

#: How many of the newest articles and studies the home page shows.
LATEST_COUNT = 3


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

    heading = models.CharField(
        "main heading",
        max_length=255,
        blank=True,
        help_text="The large heading at the top of the home page: what the clinic "
        "offers, e.g. 'Pain management and ketamine-assisted care'. The clinic's "
        "name is already in the header, so don't repeat it here.",
    )
    tagline = models.CharField(
        max_length=255,
        blank=True,
        help_text="One line under the main heading, e.g. where the clinic is.",
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
        FieldPanel("heading"),
        FieldPanel("tagline"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    api_fields = [
        *BasePage.api_fields,
        APIField("heading"),
        APIField("tagline"),
        APIField("intro"),
        APIField("body"),
        APIField("services", serializer=PageLinkListField(source="service_links")),
    ]

    def description_source(self) -> str:
        return self.tagline or plain_text(self.intro)

    @property
    def display_heading(self) -> str:
        """The page's <h1>: the editors' heading, never the clinic's name twice.

        Pages saved before the heading existed fall back to the tagline; only a
        home page with neither shows its title.
        """
        return self.heading or self.tagline or self.title

    @property
    def services(self):
        """Live, public services, in the order editors arranged them."""
        service_page = apps.get_model("home", "ServicePage")
        return service_page.objects.listing().descendant_of(self)

    @property
    def service_links(self):
        """``services`` for links (the API's): no card details read with them."""
        return self.services.prefetch_related(None)

    def latest_articles(self, count: int = LATEST_COUNT):
        """The newest live, public articles, with what their cards show."""
        article_page = apps.get_model("articles", "ArticlePage")
        articles = article_page.objects.listing(order="-date").descendant_of(self)
        return articles.for_html_cards()[:count]

    def latest_studies(self, count: int = LATEST_COUNT):
        """The study summaries most recently put live, with what cards show."""
        study_page = apps.get_model("studies", "StudySummaryPage")
        studies = study_page.objects.listing().descendant_of(self).for_html_cards()
        return studies.order_by("-first_published_at", "pk")[:count]

    def get_context(self, request, *args, **kwargs):
        """The three rows of cards, read once, their images' renditions together."""
        context = super().get_context(request, *args, **kwargs)
        cards = {
            "services": list(self.services.for_html_cards()),
            "latest_articles": list(self.latest_articles()),
            "latest_studies": list(self.latest_studies()),
        }
        card_renditions(chain.from_iterable(cards.values()))
        context.update(cards)
        return context
