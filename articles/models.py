"""Patient-education articles and their index."""

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, PageManager
from wagtail.search import index

from cms.core import jsonld, tagging
from cms.core.blocks import BodyStreamBlock
from cms.core.listings import filter_options, paginate
from cms.core.missing import MissingItem
from cms.core.models import (
    AbstractRelatedStudy,
    BasePage,
    ClinicalPage,
    ClinicalPageQuerySet,
    Condition,
    IndexIntroMixin,
    RelatedStudiesMixin,
)
from cms.core.panels import TickBoxesPanel
from cms.core.reading_panel import ReadingLevelPanel
from cms.core.renditions import card_renditions
from cms.core.serializers.fields import (
    ClinicianListField,
    ConditionListField,
    PageLinkListField,
)
from cms.core.text import editor_features, first_paragraph


class ArticleIndexPage(IndexIntroMixin, BasePage):
    """The list of patient-education articles."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    max_count = 1
    page_description = "The articles section. There is one; articles go in it."
    default_description = (
        "Patient-education articles from the clinic, each reviewed by a "
        "clinician before it is published."
    )

    # A sentence or two: the articles' introduction takes no lists.
    intro = RichTextField(
        blank=True,
        features=editor_features("inline"),
        help_text="A short introduction shown above the list on this page.",
    )

    content_panels = [*BasePage.content_panels, *IndexIntroMixin.intro_panels]
    search_fields = [*BasePage.search_fields, *IndexIntroMixin.intro_search_fields]
    api_fields = [*BasePage.api_fields, *IndexIntroMixin.intro_api_fields]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "")
        condition = request.GET.get("condition", "")
        articles = ArticlePage.objects.listing(
            tag=tag or None, condition=condition or None
        ).child_of(self)
        page_of_articles = paginate(request, articles.for_html_cards())
        card_renditions(page_of_articles.object_list)
        context.update(
            articles=page_of_articles,
            tag_options=filter_options(self.article_tags()),
            condition_options=filter_options(self.article_conditions()),
            active_tag=tag,
            active_condition=condition,
        )
        return context

    def live_articles(self):
        return ArticlePage.objects.child_of(self).live_public()

    def article_tags(self):
        """Tags used by the live articles here, for the filter menu."""
        return (
            Tag.objects.filter(
                articles_articlepagetag_items__content_object__in=self.live_articles()
            )
            .distinct()
            .order_by("name")
        )

    def article_conditions(self):
        """Conditions of the live articles here, for the filter menu."""
        return (
            Condition.objects.filter(articles__in=self.live_articles())
            .distinct()
            .order_by("name")
        )


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePageQuerySet(ClinicalPageQuerySet):
    """Article listings, for the articles index page and ``/api/v3/articles/``."""

    #: The first is the default: newest first.
    orderings = {
        "-date": ("-date",),
        "date": ("date",),
        "title": ("title",),
        "-title": ("-title",),
        "-last_reviewed": ("-last_reviewed",),
    }

    def filter_extra(self, *, tag: str | None = None):
        return self.filter(tags__slug=tag) if tag else self

    def with_cards(self):
        """Cards also show the byline and the tags.

        The byline's author rows come with their clinicians in one query, as
        a list on each page (``byline``), not in ``page.authors``: a
        ``Prefetch(queryset=…)`` cached in the manager would be a queryset
        without the page's own filter, so anything chained on
        ``page.authors`` (``.select_related()``, ``.filter()``) would read
        every article's authors (django-modelcluster issue 170).
        """
        byline = Prefetch(
            "authors",
            queryset=ArticleAuthor.objects.select_related("clinician"),
            to_attr="byline",
        )
        return super().with_cards().prefetch_related("tags", byline)


class ArticlePage(RelatedStudiesMixin, ClinicalPage):
    """A patient-education article, written by clinicians and medically reviewed."""

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []
    page_description = "An article that explains a condition or treatment to patients."
    review_months_setting = "article_review_months"
    clinical_fields = (
        "title",
        "summary",
        "body",
        "conditions",
        "authors",
        "related_studies",
    )
    #: Patient-facing text whose reading grade the editor and the report show.
    reading_fields = ("summary", "body")
    # The article's date and its filter tags say nothing clinical.
    non_clinical_fields = (*ClinicalPage.non_clinical_fields, "date", "tags")

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
        *ClinicalPage.content_panels,
        ReadingLevelPanel(),
        FieldPanel("date"),
        InlinePanel(
            "authors",
            heading="Authors",
            label="Author",
            help_text="The clinicians who wrote the article.",
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [TickBoxesPanel("conditions"), FieldPanel("tags")], heading="Topics"
        ),
        InlinePanel("related_studies", heading="Related studies", label="Study"),
        *ClinicalPage.review_panels,
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
            serializer=PageLinkListField(pages_for="related_studies_for"),
        ),
    ]

    #: Written through the content API too (``cms/api/writes.py``).
    api_write_fields = (
        *ClinicalPage.api_write_fields,
        "date",
        "authors",
        "body",
        "conditions",
        "tags",
        "related_studies",
    )

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    @staticmethod
    def page_prefetch():
        """The byline's clinicians come with their author rows (one query),
        the topics with their tags in the editor's order (``cms.core.tagging``).

        A ``Prefetch`` queryset is safe here, unlike in listings
        (``ArticlePageQuerySet.with_cards``): it is read for this one page.
        A method, as ``ArticleAuthor`` is defined below.
        """
        authors = ArticleAuthor.objects.select_related("clinician")
        return (
            "conditions",
            tagging.tagged_items_prefetch(ArticlePage),
            Prefetch("authors", queryset=authors),
        )

    class Meta:
        verbose_name = "article"

    def description_source(self) -> str:
        return first_paragraph(self.body)

    @property
    def tag_names(self) -> list[str]:
        """The topics, in the order the editor gave them (``cms.core.tagging``)."""
        return tagging.tag_names(self)

    @property
    def author_clinicians(self):
        """The byline's clinicians; read with the page when it was routed to
        (``page_prefetch``) or listed (``ArticlePageQuerySet.with_cards``)."""
        if hasattr(self, "byline"):
            return [link.clinician for link in self.byline]
        if "authors" in getattr(self, "_prefetched_objects_cache", {}):
            return [link.clinician for link in self.authors.all()]
        return [link.clinician for link in self.authors.select_related("clinician")]

    def jsonld_entities(self, webpage: dict, request=None) -> list[dict]:
        article = jsonld.article_node(
            url=webpage["url"],
            headline=self.title,
            date_published=self.date,
            date_modified=self.last_published_at,
            authors=self.author_clinicians,
            citations=[study.citation for study in self.related_studies_for(request)],
            root_url=jsonld.site_root_url(self, request),
        )
        webpage["mainEntity"] = {"@id": article["@id"]}
        return [article]

    def missing_information(self) -> list[MissingItem]:
        missing = super().missing_information()
        if not list(self.authors.all()):
            missing.append(
                MissingItem("Authors: the clinicians who wrote the article.", "authors")
            )
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
    api_fields = [APIField("clinician", writable=True)]

    class Meta(Orderable.Meta):
        verbose_name = "author"


class ArticleRelatedStudy(AbstractRelatedStudy):
    """A study summary that backs an article, in the order editors choose."""

    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="related_studies"
    )

    api_fields = [APIField("study", writable=True)]
