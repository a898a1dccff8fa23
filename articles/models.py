"""Patient-education articles and their index."""

from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.core import jsonld
from cms.core.api.fields import (
    ClinicianListField,
    ConditionListField,
    PageLinkListField,
)
from cms.core.blocks import BodyStreamBlock
from cms.core.listings import paginate
from cms.core.models import BasePage
from cms.core.models.mixins import RelatedStudiesMixin
from cms.core.panels import MissingInformationPanel
from cms.core.text import first_paragraph, plain_text


class ArticleIndexPage(BasePage):
    """The list of patient-education articles."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    max_count = 1
    page_description = "The articles section. There is one; articles go in it."

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A short introduction shown above the list of articles.",
    )

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    api_fields = [*BasePage.api_fields, APIField("intro")]

    class Meta:
        verbose_name = "article index page"

    def description_source(self) -> str:
        return plain_text(self.intro)

    def get_context(self, request, *args, **kwargs):
        # Imported here: queries.py builds on this module's models.
        from articles import queries

        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "")
        condition = request.GET.get("condition", "")
        articles = queries.article_listing(self, tag=tag, condition=condition)
        context.update(
            articles=paginate(request, articles),
            tag_options=[(t.slug, t.name) for t in queries.article_tags(self)],
            condition_options=[
                (c.slug, c.name) for c in queries.article_conditions(self)
            ],
            active_tag=tag,
            active_condition=condition,
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(RelatedStudiesMixin, BasePage):
    """A patient-education article, written by clinicians and medically reviewed."""

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []
    page_description = "An article that explains a condition or treatment to patients."
    is_clinical = True

    date = models.DateField(
        "article date",
        default=timezone.localdate,
        help_text="The date shown on the article. Usually the day it is published.",
    )
    body = StreamField(
        BodyStreamBlock(), help_text="The article, in short sections with headings."
    )
    conditions = ParentalManyToManyField(
        "core.Condition",
        blank=True,
        related_name="articles",
        help_text="Conditions the article is about.",
    )
    tags = ClusterTaggableManager(
        through=ArticlePageTag,
        blank=True,
        help_text="Topics for filtering, e.g. 'sleep' or 'medication'.",
    )

    content_panels = [
        MissingInformationPanel(),
        *BasePage.content_panels,
        FieldPanel("date"),
        InlinePanel(
            "authors",
            heading="Authors",
            label="Author",
            help_text="The clinicians who wrote the article.",
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("conditions"), FieldPanel("tags")], heading="Topics"
        ),
        InlinePanel("related_studies", heading="Related studies", label="Study"),
        *BasePage.review_panels,
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.SearchField("summary"),
        index.FilterField("date"),
    ]
    api_fields = [
        *BasePage.api_fields,
        APIField("date"),
        APIField("authors", serializer=ClinicianListField(source="author_clinicians")),
        APIField("body"),
        APIField("conditions", serializer=ConditionListField()),
        APIField("tags"),
        APIField(
            "related_studies",
            serializer=PageLinkListField(source="public_related_studies"),
        ),
    ]

    class Meta:
        verbose_name = "article"

    def description_source(self) -> str:
        return first_paragraph(self.body)

    @property
    def author_clinicians(self):
        return [link.clinician for link in self.authors.select_related("clinician")]

    def jsonld_entities(self, webpage: dict, request=None) -> list[dict]:
        article = jsonld.article_node(
            url=webpage["url"],
            headline=self.title,
            date_published=self.date,
            date_modified=self.last_published_at,
            authors=self.author_clinicians,
            citations=[study.citation for study in self.public_related_studies],
            root_url=jsonld.site_root_url(self, request),
        )
        webpage["mainEntity"] = {"@id": article["@id"]}
        return [article]

    def missing_information(self) -> list[str]:
        missing = super().missing_information()
        if not list(self.authors.all()):
            missing.append("Authors: the clinicians who wrote the article.")
        return missing


class ArticleAuthor(Orderable):
    """A clinician credited as an author of an article."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="authors")
    clinician = models.ForeignKey(
        "core.Clinician",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="A clinician who wrote this article.",
    )

    panels = [FieldPanel("clinician")]

    class Meta(Orderable.Meta):
        verbose_name = "author"


class ArticleRelatedStudy(Orderable):
    """A study summary that backs an article, in the order editors choose."""

    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="related_studies"
    )
    study = models.ForeignKey(
        "studies.StudySummaryPage",
        on_delete=models.CASCADE,
        related_name="article_links",
        help_text="A study summary that supports this article.",
    )

    panels = [FieldPanel("study")]

    class Meta(Orderable.Meta):
        verbose_name = "related study"
