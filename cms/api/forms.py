"""API write forms report every model error, even on fields the API cannot write.

v3 binds a write to the model's own editor form, narrowed to the writable API
fields, so the model's ``clean()`` runs as in the admin. When ``clean()``
reports an error on a field the narrowed form lacks (a study summary's
"Add at least one way to find the study" on ``source_url``, say), Django's
``add_error`` raises ``ValueError`` and the write answered 500. Here such
errors become non-field errors, named after the field, so the caller gets
v3's usual 422 listing every reason.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.text import capfirst
from wagtail.admin.forms.models import WagtailAdminModelForm


class ReportsErrorsOnMissingFields:
    """Form mixin: model errors on fields the form lacks become non-field errors."""

    def add_error(self, field, error):
        if field is None:
            error = self._fold_missing_fields(error)
        super().add_error(field, error)

    def _fold_missing_fields(self, error):
        if isinstance(error, dict):
            error = ValidationError(error)
        if not isinstance(error, ValidationError) or not hasattr(error, "error_dict"):
            return error
        kept: dict[str, list] = {}
        for name, messages in error.error_dict.items():
            if name == NON_FIELD_ERRORS or name in self.fields:
                kept.setdefault(name, []).extend(messages)
                continue
            label = self._label(name)
            kept.setdefault(NON_FIELD_ERRORS, []).extend(
                ValidationError(f"{label}: {text}", code=message.code)
                for message in messages
                for text in message.messages
            )
        return ValidationError(kept)

    def _label(self, name: str) -> str:
        try:
            return capfirst(self._meta.model._meta.get_field(name).verbose_name)
        except (FieldDoesNotExist, AttributeError):
            return name


class APIFormClass:
    """``api_base_form_class`` for a model: its editor form, with the mixin above.

    A descriptor, resolved on first use, because the editor form is only known
    once the model's edit handler can be built; Wagtail prefers
    ``api_base_form_class`` over the edit handler's and model's own form.
    """

    def __init__(self):
        self._forms: dict[type[Model], type] = {}

    def __get__(self, instance, owner: type[Model]):
        form = self._forms.get(owner)
        if form is None:
            base = editor_form_class(owner)
            form = type(
                f"{owner.__name__}APIForm", (ReportsErrorsOnMissingFields, base), {}
            )
            self._forms[owner] = form
        return form


def editor_form_class(model: type[Model]) -> type:
    """The form class Wagtail's admin binds for ``model`` (same precedence as v3)."""
    try:
        handler = model.get_edit_handler()
    except AttributeError:
        handler = None
    return (
        getattr(handler, "base_form_class", None)
        or getattr(model, "base_form_class", None)
        or WagtailAdminModelForm
    )


def install(models) -> None:
    """Give each model that has no API form of its own the folding one."""
    descriptor = APIFormClass()
    for model in models:
        # Looked up in the class dicts: reading the attribute would resolve it.
        if not any("api_base_form_class" in vars(klass) for klass in model.__mro__):
            model.api_base_form_class = descriptor
