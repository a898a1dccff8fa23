"""Admin forms whose rules go beyond the model's: webhook endpoints.

Where an address may lead is the model's rule (``WebhookEndpoint.clean_fields``,
``egress.py``); its errors show on the address field here.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import get_page_models

from cms.publishing.models import SUBSCRIBABLE_EVENTS, WebhookEndpoint
from cms.publishing.signing import new_secret


def page_type_choices():
    return sorted(
        (model._meta.label, model._meta.verbose_name.capitalize())
        for model in get_page_models()
        if model._meta.app_label != "wagtailcore"
    )


class WebhookEndpointForm(WagtailAdminModelForm):
    """Address, events and page types; the secret is made here, never typed."""

    url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        help_text=WebhookEndpoint._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE_EVENTS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Which changes to send. Pick at least one.",
        error_messages={"required": "Pick at least one change to send."},
    )
    page_types = forms.MultipleChoiceField(
        choices=page_type_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Send page notices only for these kinds of page. "
        "Leave all unticked for every kind.",
    )
    replace_secret = forms.BooleanField(
        label="Make a new secret",
        required=False,
        help_text="Tick if the secret may have leaked. The receiver stops "
        "accepting notices until it is given the new one.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "page_types", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_secret = None
        if self.instance.pk:
            self.fields["replace_secret"].help_text = (
                f"The current secret ends in {self.instance.masked_secret}. "
                + self.fields["replace_secret"].help_text
            )
        else:
            del self.fields["replace_secret"]

    def save(self, commit=True):
        endpoint = super().save(commit=False)
        if not endpoint.pk or self.cleaned_data.get("replace_secret"):
            endpoint.secret = self.new_secret = new_secret()
        if commit:
            endpoint.save()
        return endpoint
