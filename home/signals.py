"""The last door for the consultation form's questions: refused when saved.

The admin shows field errors first (``ConsultationFormField.clean``), but a
page can also go live from code, a workflow, a schedule or the API without any
form. These ``pre_save`` receivers see every one of those saves, so a question
asking for medical or identity details is never written, and a form page
carrying one is never made live. Raw saves (fixtures, migrations) are trusted.
"""

from django.core.exceptions import ValidationError

from home import consultation

# Saves of a live page that change what visitors see; a draft revision or a
# lock toggles other columns only.
GO_LIVE_FIELDS = {"live", "live_revision"}


def refuse_sensitive_field(sender, instance, raw=False, **kwargs):
    """``pre_save`` of a consultation form field: never store a medical question."""
    if raw:
        return
    errors = consultation.field_text_errors(instance)
    if errors:
        raise ValidationError(errors)


def refuse_sensitive_form_going_live(
    sender, instance, raw=False, update_fields=None, **kwargs
):
    """``pre_save`` of the form page: a live version asks nothing it must not.

    At publish time ``form_fields`` holds the revision's questions in memory,
    so they are checked before the page row or any question is written.
    """
    if raw or not instance.live:
        return
    if update_fields is not None and not GO_LIVE_FIELDS & set(update_fields):
        return
    problems = consultation.sensitive_field_errors(instance.form_fields.all())
    if problems:
        # Worded like the clinical rules' refusals (a content app may not
        # import cms.clinical): the API answers 422 with one entry per problem.
        raise ValidationError(
            [f"“{instance.title}” was not published. {p}" for p in problems],
            code="publish_refused",
        )
