"""The consultation request form: as little data as possible, handled as PHI.

A request to a ketamine and pain clinic reveals a health-care relationship, so
every submission is treated as protected health information
(``reference/health-anchors.md`` §6): few fields, no medical details asked for,
an explicit consent, first-party spam protection, nothing in URLs or e-mails.
"""

import math

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.contrib.forms.forms import BaseForm

from cms.core.limits import Limited
from cms.core.models import ClinicSettings
from home.sensitive_questions import sensitive_topic

INTAKE_GROUP = "Intake"
HONEYPOT_FIELD = "website"
CONSENT_FIELD = "consent"
MAX_FIELDS = 6
# The shared limiter's group (cms/core/limits.py; rate in RATE_LIMITS).
RATE_LIMIT_GROUP = "consultation"
LIMITED_TEMPLATE = "429.html"
ALLOWED_FIELD_TYPES = [
    ("singleline", "Single line text"),
    ("email", "E-mail address"),
    ("dropdown", "Drop-down list"),
    ("radio", "Radio buttons"),
]
# The editor-written text of a form field that visitors read, by field name.
CHECKED_TEXT = {
    "label": "label",
    "help_text": "help text",
    "choices": "choices",
    "default_value": "default value",
}


def field_text_errors(field) -> dict[str, str]:
    """Which of a field's texts would ask for medical or identity details, and why.

    Keyed by model field name, so the admin shows each message on the box the
    editor has to change.
    """
    errors = {}
    for name, description in CHECKED_TEXT.items():
        text = getattr(field, name, "") or ""
        topic = sensitive_topic(text)
        if topic:
            errors[name] = (
                f"Reword or remove this {description}: “{text.strip()}” asks for "
                f"{topic}. The consultation form must not ask for medical, "
                "insurance or identity details; the clinic asks for those "
                "securely when it calls back."
            )
    return errors


def sensitive_field_errors(fields) -> list[str]:
    """Why a set of editor-defined fields would collect too much, if it would."""
    errors = []
    fields = list(fields)
    if len(fields) > MAX_FIELDS:
        errors.append(
            f"A consultation form may have at most {MAX_FIELDS} fields. Ask only "
            "for what the clinic needs to call back."
        )
    for field in fields:
        for message in field_text_errors(field).values():
            errors.append(f"Field “{field.label}”: {message}")
    return errors


def retry_minutes(limited: Limited) -> int:
    """The wait told to a person over the limit, in whole minutes (at least 1)."""
    return max(1, math.ceil(limited.retry_after / 60))


def too_many_requests(page, request, limited: Limited) -> TemplateResponse:
    """The polite refusal a client over the consultation rate sees; nothing is kept.

    A person who really needs the clinic is told how long to wait and given
    the phone number, so the limit never leaves them without a way in.
    """
    context = page.get_context(request)
    context.update(
        {
            "retry_minutes": retry_minutes(limited),
            "clinic_phone": ClinicSettings.for_request(request).phone,
        }
    )
    response = TemplateResponse(request, LIMITED_TEMPLATE, context, status=429)
    response["Retry-After"] = str(limited.retry_after)
    # The answer depends on who asked: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


class ConsultationForm(BaseForm):
    """Adds the parts editors cannot remove: consent, a honeypot, a way to reply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consent_text = getattr(self.page, "consent_text", "") or "I agree."
        self.fields[CONSENT_FIELD] = forms.BooleanField(
            label=consent_text,
            required=True,
            error_messages={
                "required": "Tick this box so that we may contact you about your "
                "request."
            },
        )
        # Invisible to people (its wrapper is hidden), filled in by spam bots.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label="Leave this field empty",
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))

    def contact_fields(self) -> list[str]:
        """The fields through which the clinic can reply: e-mail and phone."""
        names = []
        for name, field in self.fields.items():
            if isinstance(field, forms.EmailField) or "phone" in name:
                names.append(name)
        return names

    def clean(self):
        cleaned = super().clean()
        contact = self.contact_fields()
        if contact and not any(cleaned.get(name) for name in contact):
            message = "Give a phone number or an e-mail address so we can reply."
            for name in contact:
                self.add_error(name, ValidationError(message, code="no_contact"))
        return cleaned

    def submission_data(self) -> dict:
        """Stored data: the answers, and when and to which wording consent was given."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in (HONEYPOT_FIELD, CONSENT_FIELD)
        }
        data[CONSENT_FIELD] = {
            "given": True,
            "text": self.fields[CONSENT_FIELD].label,
            "at": timezone.now().isoformat(),
        }
        return data


def notify_intake(page, submission) -> None:
    """Tell the intake team a request arrived, without any of what was submitted."""
    addresses = [a.strip() for a in page.to_address.split(",") if a.strip()]
    if not addresses:
        return
    link = f"{settings.WAGTAILADMIN_BASE_URL}/admin/forms/submissions/{page.pk}/"
    send_mail(
        subject=f"New consultation request #{submission.pk}",
        message=(
            f"A new consultation request (#{submission.pk}) has arrived.\n\n"
            f"Sign in to read it: {link}\n\n"
            "For privacy, this e-mail does not contain what was submitted."
        ),
        from_email=page.from_address or settings.DEFAULT_FROM_EMAIL,
        recipient_list=addresses,
    )
