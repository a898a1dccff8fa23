"""The consultation request form: a call back, never medical details."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.fields import RichTextField
from wagtail.url_routing import RouteResult

from cms.core import limits
from cms.core.models import BasePage
from cms.core.text import editor_features, plain_text
from home import consultation

THANKS_PATH = "thanks"


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

    def clean(self):
        super().clean()
        # Each message goes on the box the editor has to change.
        errors = consultation.field_text_errors(self)
        if errors:
            raise ValidationError(errors)


class ConsultationFormPage(EmailFormMixin, FormMixin, BasePage):
    """A short request-a-call form; submissions are read by the Intake group only."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    page_description = "The 'request a consultation' form. There is only one."
    default_description = (
        "Ask the clinic to call you back about booking a consultation."
    )
    is_booking_page = True

    intro = RichTextField(
        blank=True,
        features=editor_features("text"),
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
        features=editor_features("text"),
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
            "time to call. Labels, hints and choices that ask about health, "
            "medicines, age, insurance or ID numbers are refused.",
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

    def clean(self):
        super().clean()
        errors = consultation.sensitive_field_errors(self.form_fields.all())
        if errors:
            raise ValidationError(errors)

    def description_source(self) -> str:
        return plain_text(self.intro)

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
        if request.method == "POST":
            # Every attempt counts, valid or not, before anything is read or kept.
            limited = limits.hit(request, consultation.RATE_LIMIT_GROUP)
            if limited:
                return consultation.too_many_requests(self, request, limited)
        return super().serve(request, *args, **kwargs)
