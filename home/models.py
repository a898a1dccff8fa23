"""The home page, the services section and general pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.url_routing import RouteResult

from cms.core import jsonld
from cms.core.api.fields import (
    ConditionListField,
    DisclaimerField,
    PageLinkListField,
)
from cms.core.blocks import BodyStreamBlock
from cms.core.models import BasePage
from cms.core.models.mixins import RelatedStudiesMixin
from cms.core.panels import MissingInformationPanel
from cms.core.text import first_paragraph, plain_text
from home import consultation

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
THANKS_PATH = "thanks"


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
        features=TEXT_FEATURES,
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

    class Meta:
        verbose_name = "home page"

    def description_source(self) -> str:
        return self.tagline or plain_text(self.intro)

    @property
    def services(self):
        """Live, public services, in the order editors arranged them."""
        return ServicePage.objects.descendant_of(self).live().public().order_by("path")


class ServiceIndexPage(BasePage):
    """The list of the clinic's services."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ServicePage"]
    max_count = 1
    page_description = "The services section. There is one; service pages go in it."

    intro = RichTextField(
        blank=True,
        features=TEXT_FEATURES,
        help_text="A short introduction shown above the list of services.",
    )

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    api_fields = [*BasePage.api_fields, APIField("intro")]

    class Meta:
        verbose_name = "service index page"

    def description_source(self) -> str:
        return plain_text(self.intro)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Imported here: queries.py builds on this module's models.
        from home.queries import live_services

        context["services"] = live_services().child_of(self)
        return context


class ServicePage(RelatedStudiesMixin, BasePage):
    """One treatment the clinic offers: what it is, whom it helps, risks, evidence."""

    parent_page_types = ["home.ServiceIndexPage"]
    subpage_types = []
    page_description = "A treatment or service, e.g. IV ketamine or therapy."
    is_clinical = True

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
        features=TEXT_FEATURES,
        help_text="Health conditions or situations where this treatment is not "
        "suitable.",
    )
    risks = RichTextField(
        "risks and side effects",
        blank=True,
        features=TEXT_FEATURES,
        help_text="Common and serious side effects, stated plainly.",
    )
    what_to_expect = RichTextField(
        blank=True,
        features=TEXT_FEATURES,
        help_text="What happens before, during and after treatment.",
    )
    when_to_get_help = RichTextField(
        blank=True,
        features=TEXT_FEATURES,
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
        MissingInformationPanel(),
        *BasePage.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("body"),
        FieldPanel("conditions"),
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
        *BasePage.review_panels,
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
        APIField("disclaimer", serializer=DisclaimerField()),
        APIField("related_studies_heading"),
        APIField(
            "related_studies",
            serializer=PageLinkListField(source="public_related_studies"),
        ),
        APIField("booking_heading"),
        APIField("booking_text"),
    ]

    class Meta:
        verbose_name = "service page"

    def description_source(self) -> str:
        return first_paragraph(self.body)

    def jsonld_entities(self, webpage: dict, request=None) -> list[dict]:
        therapy = jsonld.therapy_node(
            webpage["url"], self.title, self.conditions.all(), self.involves_ketamine
        )
        webpage["mainEntity"] = {"@id": therapy["@id"]}
        studies = [study.citation for study in self.public_related_studies]
        if studies:
            webpage["citation"] = [jsonld.scholarly_article_node(c) for c in studies]
        return [therapy]

    def missing_information(self) -> list[str]:
        missing = super().missing_information()
        checks = [
            (self.who_it_is_not_for, "Who this is not for."),
            (self.risks, "Risks and side effects."),
            (self.what_to_expect, "What to expect."),
            (self.when_to_get_help, "When to get help."),
        ]
        missing.extend(message for present, message in checks if not present)
        if self.involves_ketamine and not self.disclaimer_id:
            missing.append("Disclaimer: ketamine services need the off-label notice.")
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
        APIField("kind"),
        APIField("name"),
        APIField("abbreviation"),
        APIField("description"),
        APIField("includes_family"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "approach"

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class ServiceRelatedStudy(Orderable):
    """A study summary cited by a service page, in the order editors choose."""

    page = ParentalKey(
        ServicePage, on_delete=models.CASCADE, related_name="related_studies"
    )
    study = models.ForeignKey(
        "studies.StudySummaryPage",
        on_delete=models.CASCADE,
        related_name="service_links",
        help_text="A study summary that supports this service.",
    )

    panels = [FieldPanel("study")]

    class Meta(Orderable.Meta):
        verbose_name = "related study"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "study"], name="unique_service_related_study"
            )
        ]


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

    class Meta:
        verbose_name = "standard page"

    def description_source(self) -> str:
        return self.intro or first_paragraph(self.body)


class ConsultationFormField(AbstractFormField):
    """A question on the consultation form, limited to harmless field types."""

    page = ParentalKey(
        "home.ConsultationFormPage",
        on_delete=models.CASCADE,
        related_name="form_fields",
    )
    field_type = models.CharField(
        "field type",
        max_length=16,
        choices=consultation.ALLOWED_FIELD_TYPES,
        help_text="Phone numbers use single line text with 'Phone' in the label.",
    )
    required = models.BooleanField(
        default=True,
        help_text="Untick for optional fields. Phone and e-mail are checked together: "
        "one of them is always needed.",
    )
    help_text = models.CharField(
        max_length=255,
        blank=True,
        help_text="Optional hint shown under the field's label.",
    )


class ConsultationFormPage(EmailFormMixin, FormMixin, BasePage):
    """A short request-a-call form; submissions are read by the Intake group only."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    page_description = "The 'request a consultation' form. There is only one."
    template = "home/consultation_form_page.html"
    landing_page_template = "home/consultation_form_page_landing.html"

    intro = RichTextField(
        blank=True,
        features=TEXT_FEATURES,
        help_text="A sentence or two above the form, e.g. what happens next.",
    )
    privacy_note = models.TextField(
        default="Please don't include medical details. We will ask about your "
        "health when we call you back.",
        help_text="Shown above the form. Keep the request not to share medical "
        "details.",
    )
    consent_text = models.CharField(
        "consent wording",
        max_length=255,
        default="I agree to be contacted by the clinic about my request.",
        help_text="The tick box visitors must tick. It is stored with each request.",
    )
    thank_you_text = RichTextField(
        blank=True,
        features=TEXT_FEATURES,
        help_text="Shown after a request is sent, e.g. when to expect a call.",
    )
    from_address = models.EmailField(
        "from address",
        max_length=255,
        blank=True,
        help_text="Sender of the notification e-mail. Leave empty for the site's "
        "default.",
    )
    subject = models.CharField(
        max_length=255,
        blank=True,
        help_text="Not used: the subject is always 'New consultation request #N', "
        "so that no personal detail appears in inboxes.",
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("privacy_note"),
        InlinePanel(
            "form_fields",
            heading="Form fields",
            label="Field",
            help_text="Ask only for a name, a phone number or e-mail, and a good "
            "time to call. Medical details are not allowed here.",
        ),
        FieldPanel("consent_text"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("to_address"), FieldPanel("from_address")],
            heading="Notification e-mail",
            help_text="The e-mail only says a request arrived; it never contains "
            "what was submitted.",
        ),
    ]
    api_fields = [*BasePage.api_fields, APIField("intro"), APIField("privacy_note")]

    class Meta:
        verbose_name = "consultation form page"

    def clean(self):
        super().clean()
        errors = consultation.sensitive_field_errors(self.form_fields.all())
        if errors:
            raise ValidationError(errors)

    def get_form_class(self):
        fields = self.form_builder(self.get_form_fields()).formfields
        return type("ConsultationRequestForm", (consultation.ConsultationForm,), fields)

    def process_form_submission(self, form):
        if form.is_spam:
            return None  # Bots get the same thank-you page; nothing is stored.
        submission = self.get_submission_class().objects.create(
            form_data=form.submission_data(), page=self
        )
        consultation.notify_intake(self, submission)
        return submission

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        # A fixed address with no query string: nothing submitted ends up in a URL.
        return redirect(self.url + THANKS_PATH + "/")

    def route(self, request, path_components):
        if path_components == [THANKS_PATH]:
            return RouteResult(self, kwargs={"thanks": True})
        return super().route(request, path_components)

    def serve(self, request, *args, thanks=False, **kwargs):
        if thanks:
            return TemplateResponse(
                request, self.landing_page_template, self.get_context(request)
            )
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        return super().serve(request, *args, **kwargs)
