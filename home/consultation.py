"""The consultation request form: as little data as possible, handled as PHI.

A request to a ketamine and pain clinic reveals a health-care relationship, so
every submission is treated as protected health information
(``reference/health-anchors.md`` §6): few fields, no medical details asked for,
an explicit consent, first-party spam protection, nothing in URLs or e-mails.
"""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.utils import timezone
from wagtail.contrib.forms.forms import BaseForm

INTAKE_GROUP = "Intake"
HONEYPOT_FIELD = "website"
CONSENT_FIELD = "consent"
MAX_FIELDS = 6
ALLOWED_FIELD_TYPES = [
    ("singleline", "Single line text"),
    ("email", "E-mail address"),
    ("dropdown", "Drop-down list"),
    ("radio", "Radio buttons"),
]
# Labels that would ask for medical or identity details the clinic must not
# collect through a public form.
SENSITIVE_LABEL = re.compile(
    r"birth|dob\b|social security|ssn|insurance|member id|medication|diagnos|"
    r"symptom|condition|medical|health|prescription",
    re.IGNORECASE,
)


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
        if SENSITIVE_LABEL.search(field.label or ""):
            errors.append(
                f"Remove the field “{field.label}”: this form must not ask for "
                "medical, insurance or identity details. The clinic collects those "
                "securely once it has contacted the person."
            )
    return errors


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
