"""The services section: what the clinic offers, whom it helps, risks, evidence."""

from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, PageManager
from wagtail.search import index

from cms.core import jsonld
from cms.core.blocks import BodyStreamBlock
from cms.core.missing import MissingItem
from cms.core.models import (
    AbstractRelatedStudy,
    BasePage,
    ClinicalPage,
    ClinicalPageQuerySet,
    Disclaimer,
    IndexIntroMixin,
    RelatedStudiesMixin,
)
from cms.core.panels import TickBoxesPanel
from cms.core.reading_panel import ReadingLevelPanel
from cms.core.renditions import card_renditions
from cms.core.serializers.fields import (
    ConditionListField,
    DisclaimerField,
    PageLinkListField,
)
from cms.core.text import (
    editor_features,
    first_paragraph,
    mentions_ketamine,
    plain_text,
)
from studies.panels import NewStudyPanel


class ServicePageQuerySet(ClinicalPageQuerySet):
    """Service listings, for the services index page and ``/api/v3/services/``."""

    #: The first is the default: the order editors arranged.
    orderings = {
        "menu": ("path",),
        "title": ("title",),
        "-title": ("-title",),
        "last_reviewed": ("last_reviewed",),
        "-last_reviewed": ("-last_reviewed",),
        "-first_published_at": ("-first_published_at",),
    }


ServicePageManager = PageManager.from_queryset(ServicePageQuerySet)


class ServiceIndexPage(IndexIntroMixin, BasePage):
    """The list of the clinic's services."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ServicePage"]
    max_count = 1
    page_description = "The services section. There is one; service pages go in it."
    default_description = (
        "The treatments the clinic offers: what each one involves, who it is "
        "for, and how to book a consultation."
    )

    content_panels = [*BasePage.content_panels, *IndexIntroMixin.intro_panels]
    search_fields = [*BasePage.search_fields, *IndexIntroMixin.intro_search_fields]
    api_fields = [*BasePage.api_fields, *IndexIntroMixin.intro_api_fields]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        services = list(ServicePage.objects.listing().child_of(self).for_html_cards())
        card_renditions(services)
        context["services"] = services
        return context


class ServicePage(RelatedStudiesMixin, ClinicalPage):
    """One treatment the clinic offers: what it is, whom it helps, risks, evidence."""

    parent_page_types = ["home.ServiceIndexPage"]
    subpage_types = []
    page_description = "A treatment or service, e.g. IV ketamine or therapy."
    #: What search results call it (cms/core/search.py); "service page" is the
    #: editors' word.
    result_label = "Service"
    review_months_setting = "service_review_months"
    wording_check_children = {"approaches": ("name", "description")}
    clinical_fields = (
        "title",
        "subtitle",
        "body",
        "conditions",
        "approaches",
        "who_it_is_not_for",
        "risks",
        "what_to_expect",
        "when_to_get_help",
        "involves_ketamine",
        "disclaimer",
        "related_studies_heading",
        "related_studies",
        "booking_heading",
        "booking_text",
        "summary",
    )
    #: Patient-facing text whose reading grade the editor and the report show.
    reading_fields = (
        "summary",
        "body",
        "who_it_is_not_for",
        "risks",
        "what_to_expect",
        "when_to_get_help",
    )
    # What to Expect may follow later; these three protect the patient.
    required_sections = ("risks", "who_it_is_not_for", "when_to_get_help")

    subtitle = models.CharField(
        max_length=255,
        blank=True,
        help_text="Optional line under the title, e.g. 'Ketamine and Treatment "
        "of Pain Management'.",
    )
    body = StreamField(
        BodyStreamBlock(),
        help_text="What the treatment is and how it works, in plain language.",
    )
    conditions = ParentalManyToManyField(
        "core.Condition",
        blank=True,
        related_name="services",
        help_text="Conditions this service treats.",
    )
    who_it_is_not_for = RichTextField(
        "who this is not for",
        blank=True,
        features=editor_features("text"),
        help_text="Health conditions or situations where this treatment is not "
        "suitable.",
    )
    risks = RichTextField(
        "risks and side effects",
        blank=True,
        features=editor_features("text"),
        help_text="Common and serious side effects, stated plainly.",
    )
    what_to_expect = RichTextField(
        blank=True,
        features=editor_features("text"),
        help_text="What happens before, during and after treatment.",
    )
    when_to_get_help = RichTextField(
        blank=True,
        features=editor_features("text"),
        help_text="Warning signs after treatment and who to contact.",
    )
    involves_ketamine = models.BooleanField(
        "involves ketamine",
        default=False,
        help_text="Tick if this service uses ketamine. Such pages must show the "
        "off-label disclaimer.",
    )
    disclaimer = models.ForeignKey(
        "core.Disclaimer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The disclaimer shown above the booking button.",
    )
    related_studies_heading = models.CharField(
        max_length=255,
        default="Resources and relevant studies",
        help_text="Heading above the list of studies.",
    )
    booking_heading = models.CharField(
        max_length=255,
        default="Book a consultation",
        help_text="Heading of the booking section at the end of the page.",
    )
    booking_text = models.TextField(
        blank=True,
        help_text="Optional sentence above the booking button.",
    )

    content_panels = [
        *ClinicalPage.content_panels,
        ReadingLevelPanel(),
        FieldPanel("subtitle"),
        FieldPanel("body"),
        TickBoxesPanel("conditions"),
        InlinePanel(
            "approaches",
            heading="Approaches",
            label="Approach",
            help_text="The parts of this service, e.g. medications or CBT.",
        ),
        FieldPanel("who_it_is_not_for"),
        FieldPanel("risks"),
        FieldPanel("what_to_expect"),
        FieldPanel("when_to_get_help"),
        MultiFieldPanel(
            [
                FieldPanel("related_studies_heading"),
                InlinePanel("related_studies", label="Study"),
                NewStudyPanel(),
            ],
            heading="Evidence",
        ),
        MultiFieldPanel(
            [
                FieldPanel("involves_ketamine"),
                FieldPanel("disclaimer"),
                FieldPanel("booking_heading"),
                FieldPanel("booking_text"),
            ],
            heading="Disclaimer and booking",
        ),
        *ClinicalPage.review_panels,
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("body"),
        index.SearchField("summary"),
    ]
    api_fields = [
        *BasePage.api_fields,
        APIField("subtitle"),
        APIField("body"),
        APIField("conditions", serializer=ConditionListField()),
        APIField("approaches"),
        APIField("who_it_is_not_for"),
        APIField("risks"),
        APIField("what_to_expect"),
        APIField("when_to_get_help"),
        APIField("involves_ketamine"),
        APIField("disclaimer", serializer=DisclaimerField(kinds=Disclaimer.Kind)),
        APIField("related_studies_heading"),
        APIField(
            "related_studies",
            serializer=PageLinkListField(pages_for="related_studies_for"),
        ),
        APIField("booking_heading"),
        APIField("booking_text"),
    ]

    #: Written through the content API too (``cms/api/writes.py``).
    api_write_fields = (
        *ClinicalPage.api_write_fields,
        "subtitle",
        "body",
        "conditions",
        "approaches",
        "who_it_is_not_for",
        "risks",
        "what_to_expect",
        "when_to_get_help",
        "involves_ketamine",
        "disclaimer",
        "related_studies_heading",
        "related_studies",
        "booking_heading",
        "booking_text",
    )

    objects = ServicePageManager()

    page_select = (*ClinicalPage.page_select, "disclaimer")
    page_prefetch = ("conditions", "approaches")

    def description_source(self) -> str:
        return first_paragraph(self.body)

    def jsonld_entities(self, webpage: dict, request=None) -> list[dict]:
        therapy = jsonld.therapy_node(
            webpage["url"], self.title, self.conditions.all(), self.involves_ketamine
        )
        webpage["mainEntity"] = {"@id": therapy["@id"]}
        studies = [study.citation for study in self.related_studies_for(request)]
        if studies:
            webpage["citation"] = [jsonld.scholarly_article_node(c) for c in studies]
        return [therapy]

    def approach_groups(self) -> list[tuple[str, list]]:
        """Approaches under their kind's label, kinds in the editors' order."""
        groups: dict[str, list] = {}
        for approach in self.approaches.all():
            groups.setdefault(approach.kind, []).append(approach)
        return [(items[0].get_kind_display(), items) for items in groups.values()]

    def uses_ketamine(self) -> bool:
        """Ticked, or ketamine named in the title, text, approaches or conditions.

        The tick box alone is not trusted: a new service about ketamine must
        show the off-label notice even if the editor forgot to tick it.
        """
        if self.involves_ketamine:
            return True
        approaches = [f"{a.name} {a.description}" for a in self.approaches.all()]
        conditions = [condition.name for condition in self.conditions.all()]
        return mentions_ketamine(
            self.title,
            self.subtitle,
            *(str(block.value) for block in self.body or []),
            *approaches,
            *conditions,
        )

    def clean(self):
        super().clean()
        if not self.involves_ketamine and self.uses_ketamine():
            # Ticked for the editor; the edit hook says so (``ketamine_ticked``).
            self.involves_ketamine = True
            self.ketamine_ticked = True

    def missing_information(self) -> list[MissingItem]:
        missing = super().missing_information()
        checks = [
            ("who_it_is_not_for", "Who this is not for."),
            ("risks", "Risks and side effects."),
            ("what_to_expect", "What to expect."),
            ("when_to_get_help", "When to get help."),
        ]
        # Empty rich text is often an empty paragraph: read the words.
        missing.extend(
            MissingItem(message, field)
            for field, message in checks
            if not plain_text(getattr(self, field))
        )
        if self.involves_ketamine and not self.disclaimer_id:
            missing.append(
                MissingItem(
                    "Disclaimer: ketamine services need the off-label notice.",
                    "disclaimer",
                )
            )
        return missing


class ServiceApproach(Orderable):
    """One part of a service: a plan element, therapy approach or ketamine treatment."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Part of the treatment plan"
        THERAPY = "therapy", "Therapy approach"
        KETAMINE = "ketamine", "Ketamine-assisted treatment"

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="approaches")
    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        help_text="Groups approaches on the page.",
    )
    name = models.CharField(
        max_length=255, help_text="e.g. 'Cognitive Behavioral Therapy'."
    )
    abbreviation = models.CharField(
        max_length=20, blank=True, help_text="Optional short form, e.g. 'CBT'."
    )
    description = models.TextField(
        blank=True, help_text="Optional sentence on what it involves."
    )
    includes_family = models.BooleanField(
        "family members can take part",
        default=False,
        help_text="Tick if loved ones can join this part of treatment.",
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("abbreviation"),
        FieldPanel("description"),
        FieldPanel("includes_family"),
    ]
    api_fields = [
        APIField("kind", writable=True),
        APIField("name", writable=True),
        APIField("abbreviation", writable=True),
        APIField("description", writable=True),
        APIField("includes_family", writable=True),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "approach"

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class ServiceRelatedStudy(AbstractRelatedStudy):
    """A study summary cited by a service page, in the order editors choose."""

    page = ParentalKey(
        ServicePage, on_delete=models.CASCADE, related_name="related_studies"
    )

    api_fields = [APIField("study", writable=True)]
