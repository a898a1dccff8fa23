"""API write forms report every model error, even on fields the API cannot write.

v3 binds a write to the model's own editor form, narrowed to the writable API
fields, so the model's ``clean()`` runs as in the admin. When ``clean()``
reports an error on a field the narrowed form lacks (a study summary's
"Add at least one way to find the study" on ``source_url``, say), Django's
``add_error`` raises ``ValueError`` and the write answered 500. Here such
errors become non-field errors, named after the field, so the caller gets
v3's usual 422 listing every reason. And a value sent for a field the editor
form locks for this user (the medical-review record) is refused the same way,
instead of being silently kept as the admin's disabled field would keep it;
a StreamField's error names each block it is about (``body[2].value.url``).
"""

import copy

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.text import capfirst
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.blocks import (
    ListBlockValidationError,
    StreamBlockValidationError,
    StructBlockValidationError,
)
from wagtail.blocks.base import BlockField


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


class RefusesLockedFields:
    """Form mixin: a change sent for a field this user may not change is an error.

    The editor form disables fields the user may not set (the medical-review
    record, for anyone who cannot record reviews), and a disabled field keeps
    its saved value whatever is posted. In the admin the field is greyed out;
    an API caller sees nothing, so a silently kept value would report success
    for a change that was never made. Sending the value already saved is fine,
    so a page read from the API can be sent back as it is.
    """

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not field.disabled or name not in self.data:
                continue
            unlocked = copy.copy(field)
            unlocked.disabled = False
            submitted = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(name)
            )
            if unlocked.has_changed(self.get_initial_for_field(field, name), submitted):
                self.add_error(
                    name,
                    ValidationError(
                        "You may not change this: it is filled in when a medical "
                        "reviewer approves the page in the Clinical review workflow.",
                        code="locked",
                    ),
                )
        return cleaned


def block_error_messages(error: ValidationError, where: str) -> list[str]:
    """Each message of a StreamField error, prefixed by the item it is about.

    ``body[2].value.url: Enter a valid URL.`` rather than the admin's
    "Validation error in StreamBlock", whose details only the editor's
    JavaScript shows next to the block.
    """
    if isinstance(error, StreamBlockValidationError):
        children = {f"{where}[{i}].value": e for i, e in error.block_errors.items()}
    elif isinstance(error, ListBlockValidationError):
        children = {f"{where}[{i}]": e for i, e in error.block_errors.items()}
    elif isinstance(error, StructBlockValidationError):
        children = {f"{where}.{name}": e for name, e in error.block_errors.items()}
    else:
        return [f"{where}: {message}" for message in error.messages]
    messages = [
        f"{where}: {message}"
        for message in getattr(error, "non_block_errors", None) or []
    ]
    for child_where, child in children.items():
        messages.extend(block_error_messages(child, child_where))
    return messages


class ExplainsBlockErrors:
    """Form mixin: a StreamField's error lists every item's problem by position."""

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            if not isinstance(field, BlockField) or name not in self._errors:
                continue
            explained = []
            for error in self._errors[name].as_data():
                if isinstance(error, StreamBlockValidationError):
                    explained.extend(
                        ValidationError(message, code="invalid")
                        for message in block_error_messages(error, name)
                    )
                else:
                    explained.append(error)
            self._errors[name] = self.error_class(explained, renderer=self.renderer)


class APIFormClass:
    """``api_base_form_class`` for a model: its editor form, with the mixins above.

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
                f"{owner.__name__}APIForm",
                (
                    ReportsErrorsOnMissingFields,
                    RefusesLockedFields,
                    ExplainsBlockErrors,
                    base,
                ),
                {},
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
