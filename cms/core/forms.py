"""The editor form of every clinic page: review record rights, editors' words."""

from django import forms
from django.utils.text import capfirst
from wagtail.admin.forms import WagtailAdminPageForm

from cms.core.missing import REVIEW_PERMISSION

REVIEW_FIELDS = ("reviewed_by", "last_reviewed", "next_review_due")

#: What editors see for Wagtail's "Slug" (the Promote tab's address field).
SLUG_LABEL = "Web address"
SLUG_HELP = (
    "The last part of the page's address, e.g. “nerve-blocks” in "
    "/services/nerve-blocks/. Lower-case letters, numbers and hyphens."
)
#: Errors a field can have, in editors' words, for fields that need their own.
FIELD_MESSAGES = {
    "title": {
        "required": "The page's title is missing. Type the title visitors see "
        "at the top of the page, e.g. “Nerve blocks”.",
    },
    "slug": {
        "required": "The page's web address is missing. Type a short address "
        "for it, e.g. “nerve-blocks”: lower-case letters, numbers and hyphens.",
        "invalid": "The web address may only use letters, numbers, hyphens and "
        "underscores. Replace spaces and other characters with hyphens, e.g. "
        "“nerve-blocks”.",
    },
}


def required_message(field: forms.Field) -> str:
    """“<label>” is missing, then the field's help text, which says what to put."""
    label = capfirst(str(field.label or "this field"))
    help_text = str(field.help_text or "").strip()
    return (
        f"“{label}” is missing. {help_text}".strip()
        if help_text
        else (f"“{label}” is missing. Fill it in, then save again.")
    )


def invalid_message(field: forms.Field) -> str | None:
    """An editor's wording for a field type's "invalid" error (None: keep Django's)."""
    label = capfirst(str(field.label or "this field"))
    if isinstance(field, forms.DateField):
        return (
            f"“{label}” is not a date the site can read. Pick the day from the "
            "calendar, or type it as year-month-day, e.g. 2026-03-03."
        )
    if isinstance(field, forms.URLField):
        return (
            f"“{label}” is not a full web address. Copy it from the browser's "
            "address bar, starting with https://."
        )
    return None


class ClinicalPageForm(WagtailAdminPageForm):
    """The editor form: errors in editors' words, and the review record guarded.

    Every error names the field as the editor sees it and says how to fix it
    ("The page's web address is missing" rather than "This field is required"
    under a field called "Slug").

    The medical-review record is what visitors trust ("Medically reviewed by
    …"), so it is set by approving the page in the "Clinical review"
    workflow, not typed in by whoever edits the page: for anyone who may not
    record reviews the fields are disabled (a posted value is ignored) and
    shown as plain text (``cms.core.panels.ReviewRecordPanel``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].label = SLUG_LABEL
            self.fields["slug"].help_text = SLUG_HELP
        for name, field in self.fields.items():
            field.error_messages["required"] = required_message(field)
            invalid = invalid_message(field)
            if invalid:
                field.error_messages["invalid"] = invalid
            field.error_messages.update(FIELD_MESSAGES.get(name, {}))
        self._lock_review_record()

    def _lock_review_record(self):
        user = self.for_user
        if user is None or user.has_perm(REVIEW_PERMISSION):
            return
        for name in REVIEW_FIELDS:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = (
                    "Filled in when a medical reviewer approves this page in the "
                    "Clinical review workflow."
                )

    def add_error(self, field, error):
        if field == "slug" and "already in use" in str(error):
            slug = self.data.get(self.add_prefix("slug"), "")
            error = (
                f"Another page in this section already has the web address "
                f"“{slug}”. Choose a different one, e.g. “{slug}-2”."
            )
        super().add_error(field, error)
