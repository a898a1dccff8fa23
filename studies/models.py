"""Study summaries: the evidence behind the clinic's claims, summarised for patients.

This app is the evidence layer: it imports neither ``home`` nor ``articles``.
Pages that cite a study point at it by model string.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from cms.core import jsonld
from cms.core.blocks import BodyStreamBlock
from cms.core.citations import (
    DOI_MAX_INPUT_LENGTH,
    PMCID_MAX_INPUT_LENGTH,
    PMID_MAX_INPUT_LENGTH,
    Citation,
    InvalidIdentifier,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)
from cms.core.listings import filter_options, paginate
from cms.core.missing import MissingItem
from cms.core.models import (
    BasePage,
    ClinicalPage,
    ClinicalPageQuerySet,
    Condition,
    IndexIntroMixin,
)
from cms.core.panels import TickBoxesPanel
from cms.core.reading_panel import ReadingLevelPanel
from cms.core.renditions import card_renditions
from cms.core.serializers.fields import (
    BooleanValueField,
    ChoiceValueField,
    CitationField,
    ConditionListField,
    PageLinkListField,
)
from cms.core.text import editor_features, plain_text
from cms.core.visibility import public_pages
from studies.choices import EvidenceLevel, StudyDesign
from studies.evidence import (
    designs_with_level,
    evidence_level_for,
    has_own_grading,
    is_preclinical,
)


class StudyIndexPage(IndexIntroMixin, BasePage):
    """The list of study summaries: the clinic's evidence library."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["studies.StudySummaryPage"]
    max_count = 1
    page_description = "The evidence library. There is one; study summaries go in it."
    default_description = (
        "Plain-language summaries of the research behind the clinic's care, "
        "each with its type of study and level of evidence."
    )

    content_panels = [*BasePage.content_panels, *IndexIntroMixin.intro_panels]
    search_fields = [*BasePage.search_fields, *IndexIntroMixin.intro_search_fields]
    api_fields = [*BasePage.api_fields, *IndexIntroMixin.intro_api_fields]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        condition = request.GET.get("condition", "")
        level = request.GET.get("evidence", "")
        studies = StudySummaryPage.objects.listing(
            condition=condition or None, evidence_level=level or None
        ).child_of(self)
        page_of_studies = paginate(request, studies.for_html_cards())
        card_renditions(page_of_studies.object_list)
        context.update(
            studies=page_of_studies,
            condition_options=filter_options(self.study_conditions()),
            evidence_levels=EvidenceLevel.choices,
            active_condition=condition,
            active_evidence=level,
        )
        return context

    def study_conditions(self):
        """Conditions of the live studies in this library, for the filter menu."""
        studies = StudySummaryPage.objects.child_of(self).live_public()
        return (
            Condition.objects.filter(study_summaries__in=studies)
            .distinct()
            .order_by("name")
        )


class StudySummaryPageQuerySet(ClinicalPageQuerySet):
    """Study listings, for the evidence library and ``/api/v3/studies/``."""

    #: The first is the default: alphabetical, as the library shows.
    orderings = {
        "title": ("title",),
        "-title": ("-title",),
        "-year": ("-year", "title"),
        "year": ("year", "title"),
        "-last_reviewed": ("-last_reviewed",),
    }

    def filter_extra(self, *, evidence_level: str | None = None):
        if evidence_level:
            return self.filter(study_design__in=designs_with_level(evidence_level))
        return self


#: The citation as editors type it; ``citation`` is what readers are shown.
CITATION_INPUT_FIELDS = (
    "citation_title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "source_url",
)


class StudySummaryPage(ClinicalPage):
    """One published study, summarised in plain language, with its full citation."""

    parent_page_types = ["studies.StudyIndexPage"]
    subpage_types = []
    page_description = "One published study, summarised for patients, with its source."
    review_months_setting = "study_review_months"
    wording_check_children = {"key_points": ("text",)}
    is_evidence_source = True
    #: Patient-facing text whose reading grade the editor and the report show.
    reading_fields = ("summary", "plain_language_summary", "limitations")
    clinical_fields = (
        "title",
        "summary",
        *CITATION_INPUT_FIELDS,
        "study_design",
        "guideline_grade",
        "key_points",
        "plain_language_summary",
        "limitations",
        "conditions",
        "body",
    )

    # Citation
    citation_title = models.CharField(
        "title of the study",
        max_length=500,
        help_text="The title exactly as published.",
    )
    authors = models.TextField(
        blank=True,
        help_text="One author per line, surname then initials, e.g. 'Cohen SP'.",
    )
    journal = models.CharField(
        max_length=255,
        blank=True,
        help_text="Journal name, abbreviated as in PubMed, e.g. 'Reg Anesth Pain Med'.",
    )
    year = models.PositiveSmallIntegerField(
        "year published", null=True, blank=True, help_text="e.g. 2018."
    )
    volume = models.CharField(max_length=20, blank=True, help_text="e.g. 43.")
    issue = models.CharField(max_length=20, blank=True, help_text="e.g. 5.")
    pages = models.CharField(max_length=40, blank=True, help_text="e.g. 521-546.")
    # As long as the longest text editors may paste (a label or resolver address
    # around the identifier), so the browser never cuts a paste; clean() stores
    # the bare identifier.
    doi = models.CharField(
        "DOI",
        max_length=DOI_MAX_INPUT_LENGTH,
        blank=True,
        help_text="e.g. 10.3389/fphar.2020.599721. A pasted https://doi.org/ link "
        "or “doi:” label is fine; it is shortened for you.",
    )
    pmid = models.CharField(
        "PubMed ID",
        max_length=PMID_MAX_INPUT_LENGTH,
        blank=True,
        help_text="The PMID number from PubMed, e.g. 29870458. “PMID: 29870458” or "
        "the PubMed address is fine; it is shortened for you.",
    )
    pmcid = models.CharField(
        "PubMed Central ID",
        max_length=PMCID_MAX_INPUT_LENGTH,
        blank=True,
        help_text="e.g. PMC6181464, for free full text on PubMed Central. "
        "“PMCID: PMC6181464” or the PubMed Central address is fine.",
    )
    source_url = models.URLField(
        "link to the study",
        max_length=500,
        blank=True,
        help_text="Where readers can read the study, e.g. the journal's page.",
    )

    # Evidence and summary
    study_design = models.CharField(
        max_length=32,
        choices=StudyDesign.choices,
        blank=True,
        help_text="What kind of study this is. It sets the level of evidence shown "
        "to patients. Ask the reviewing clinician if unsure.",
    )
    guideline_grade = models.CharField(
        "grade given by the guideline",
        max_length=255,
        blank=True,
        help_text="Only for a clinical guideline or consensus statement: the grade "
        "or strength of recommendation its authors give, in their words, e.g. "
        "“Grade B, moderate certainty”. Patients see it in place of a level of "
        "evidence. Leave it empty for any other type of study.",
    )
    plain_language_summary = RichTextField(
        blank=True,
        features=editor_features("text"),
        help_text="What the study found, in everyday words, for patients.",
    )
    limitations = RichTextField(
        blank=True,
        features=editor_features("text"),
        help_text="What the study cannot tell us: size, length, who took part.",
    )
    conditions = ParentalManyToManyField(
        "core.Condition",
        blank=True,
        related_name="study_summaries",
        help_text="The conditions this study is about.",
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        help_text="Optional further detail, below the key points.",
    )

    content_panels = [
        *ClinicalPage.content_panels,
        ReadingLevelPanel(),
        MultiFieldPanel(
            [
                FieldPanel("citation_title"),
                FieldPanel("authors"),
                FieldPanel("journal"),
                FieldPanel("year"),
                FieldPanel("volume"),
                FieldPanel("issue"),
                FieldPanel("pages"),
            ],
            heading="Citation",
        ),
        MultiFieldPanel(
            [
                FieldPanel("doi"),
                FieldPanel("pmid"),
                FieldPanel("pmcid"),
                FieldPanel("source_url"),
            ],
            heading="Where to find it",
            help_text="Give at least one of these so readers can check the source.",
        ),
        FieldPanel("study_design"),
        FieldPanel("guideline_grade"),
        InlinePanel(
            "key_points",
            heading="Key points",
            label="Key point",
            min_num=1,
            help_text="The study's main findings, one per item, in order.",
        ),
        FieldPanel("plain_language_summary"),
        FieldPanel("limitations"),
        TickBoxesPanel("conditions"),
        FieldPanel("body"),
        *ClinicalPage.review_panels,
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("citation_title"),
        index.SearchField("plain_language_summary"),
        index.SearchField("summary"),
        index.RelatedFields("key_points", [index.SearchField("text")]),
        index.FilterField("study_design"),
    ]
    api_fields = [
        *BasePage.api_fields,
        APIField("citation", serializer=CitationField()),
        APIField(
            "study_design",
            serializer=ChoiceValueField(choices=StudyDesign, source="design_choice"),
        ),
        APIField("evidence_level", serializer=ChoiceValueField(choices=EvidenceLevel)),
        APIField("guideline_grade"),
        APIField("is_preclinical", serializer=BooleanValueField()),
        APIField("key_points"),
        APIField("plain_language_summary"),
        APIField("limitations"),
        APIField("conditions", serializer=ConditionListField()),
        APIField("body"),
        APIField(
            "supported_services",
            serializer=PageLinkListField(pages_for="supported_services_for"),
        ),
        # Writable through the API (and so also read as plain fields beside
        # ``citation``): a study summary cannot be saved, even as a draft,
        # without its title as published and one way to find the study.
        *(APIField(name, writable=True) for name in CITATION_INPUT_FIELDS),
    ]

    #: Written through the content API as well (the citation fields above are
    #: writable ``api_fields``); see ``cms/api/writes.py``.
    api_write_fields = (
        *ClinicalPage.api_write_fields,
        "study_design",
        "guideline_grade",
        "key_points",
        "plain_language_summary",
        "limitations",
        "conditions",
        "body",
    )

    objects = PageManager.from_queryset(StudySummaryPageQuerySet)()

    page_prefetch = ("key_points", "conditions")

    class Meta:
        verbose_name = "study summary"
        verbose_name_plural = "study summaries"

    def description_source(self) -> str:
        first_point = next(iter(self.key_points.all()), None)
        return plain_text(self.plain_language_summary) or (
            first_point.text if first_point else ""
        )

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    @property
    def citation(self) -> Citation:
        return Citation(
            title=self.citation_title,
            authors=tuple(self.author_list),
            journal=self.journal,
            year=self.year,
            volume=self.volume,
            issue=self.issue,
            pages=self.pages,
            doi=self.doi,
            pmid=self.pmid,
            pmcid=self.pmcid,
            url=self.source_url,
        )

    @property
    def design_choice(self) -> StudyDesign:
        return StudyDesign(self.study_design or "")

    @property
    def evidence_level(self) -> EvidenceLevel:
        return evidence_level_for(self.study_design)

    @property
    def is_preclinical(self) -> bool:
        return is_preclinical(self.study_design)

    @property
    def has_own_grading(self) -> bool:
        return has_own_grading(self.study_design)

    @cached_property
    def supported_services(self) -> list[Page]:
        """Public service pages that cite this study (linked from the service side)."""
        return self.supported_services_for(None)

    def supported_services_for(self, request) -> list[Page]:
        """``supported_services``, checked against the request's restrictions.

        One query with the services' card images; kept as
        ``supported_services``.
        """
        if "supported_services" in self.__dict__:
            return self.__dict__["supported_services"]
        links = self.cited_by_home.select_related(
            "page", "page__listing_image"
        ).order_by("page__title")
        services = public_pages((link.page for link in links), request)
        self.__dict__["supported_services"] = services
        return services

    def get_context(self, request, *args, **kwargs):
        # Before the template shows them as cards, their renditions found
        # together (``card_renditions``); the API shows links, not cards.
        card_renditions(self.supported_services_for(request))
        return super().get_context(request, *args, **kwargs)

    def jsonld_entities(self, webpage: dict, request=None) -> list[dict]:
        paper = jsonld.scholarly_article_node(self.citation)
        webpage["about"] = {"@id": paper["@id"]}
        webpage["isBasedOn"] = {"@id": paper["@id"]}
        return [paper]

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
        for field_name, normalize in (
            ("doi", normalize_doi),
            ("pmid", normalize_pmid),
            ("pmcid", normalize_pmcid),
        ):
            value = getattr(self, field_name)
            if not value:
                continue
            try:
                setattr(self, field_name, normalize(value))
            except InvalidIdentifier as error:
                errors.setdefault(field_name, []).append(str(error))
        self.guideline_grade = self.guideline_grade.strip()
        if self.guideline_grade and not self.has_own_grading:
            errors.setdefault("guideline_grade", []).append(
                "Only a clinical guideline or consensus statement has a grade of its "
                "own. Clear this box, or set the type of study to “Clinical "
                "guideline or consensus statement”."
            )
        if not (self.doi or self.pmid or self.pmcid or self.source_url):
            errors.setdefault("source_url", []).append(
                "Add at least one way to find the study: a DOI, PubMed ID, "
                "PubMed Central ID or link."
            )
        if self.doi and "doi" not in errors:
            duplicate = (
                StudySummaryPage.objects.filter(doi__iexact=self.doi)
                .exclude(pk=self.pk)
                .first()
            )
            if duplicate:
                errors.setdefault("doi", []).append(
                    f"This DOI is already summarised on “{duplicate.title}”. "
                    "Edit that page instead of adding a second one."
                )
        if errors:
            raise ValidationError(errors)

    def missing_information(self) -> list[MissingItem]:
        missing = super().missing_information()
        checks = [
            (self.author_list, "authors", "Authors: who wrote the study."),
            (self.journal, "journal", "Journal: where the study was published."),
            (self.year, "year", "Year published."),
            (
                self.doi or self.pmid,
                "doi",
                "DOI or PubMed ID: a permanent identifier.",
            ),
            (
                self.study_design,
                "study_design",
                "Study design: it sets the level of evidence.",
            ),
            (
                self.plain_language_summary,
                "plain_language_summary",
                "Plain-language summary for patients.",
            ),
            (
                self.limitations,
                "limitations",
                "Limitations: what the study cannot tell us.",
            ),
        ]
        missing.extend(
            MissingItem(text, field) for present, field, text in checks if not present
        )
        if not list(self.conditions.all()):
            missing.append(
                MissingItem(
                    "Conditions: which conditions the study is about.", "conditions"
                )
            )
        return missing


class StudyKeyPoint(Orderable):
    """One finding of a study, in the study's own words, in order."""

    page = ParentalKey(
        StudySummaryPage, on_delete=models.CASCADE, related_name="key_points"
    )
    text = models.TextField(
        "key point",
        help_text="One finding, word for word from the study where possible.",
    )

    panels = [FieldPanel("text")]
    api_fields = [APIField("text", writable=True)]

    class Meta(Orderable.Meta):
        verbose_name = "key point"

    def __str__(self):
        return self.text[:80]
