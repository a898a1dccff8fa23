"""System check: every field an editor fills in has a plain label and help text.

The people who use the Wagtail admin are clinic staff, not developers. They
see each field's label and help text and nothing else: no source code, no
docstrings. A field with no help text leaves them guessing what to enter; a
label such as "meta_title" is a code name that means nothing to them. So every
field of our own models that appears in an edit form gets a label in plain
words and a sentence of help text.

This runs with ``manage.py check`` (and so before ``runserver``, ``migrate``
and the test suite), which catches a new field before it reaches an editor.

Skipped, because they are not ours to describe or not filled in by an editor:
fields Wagtail's Page already has (title, slug, ...), ParentalKey links from
inline rows to their page, taggit through models (named ``...Tag``), the
name/active/groups/content type a workflow task inherits from Wagtail,
``site`` on site settings and ``sort_order`` on orderable rows.

``check_models()`` is the check itself as a pure function of a list of models,
so tests can run it on throwaway models.
"""

from collections.abc import Iterable, Iterator

from django.apps import apps
from django.core import checks
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.models import AbstractGroupApprovalTask, Page

# App labels of the project's own apps; Django's and Wagtail's are not ours.
OUR_APPS = frozenset(
    {"core", "clinical", "publishing", "clinic_api", "home", "articles", "studies"}
)
# Fields a workflow task inherits from Wagtail's Task / AbstractGroupApprovalTask.
TASK_FIELDS = frozenset({"name", "active", "groups", "content_type"})
# Filled in by Wagtail (site settings, drag-and-drop ordering), not typed.
WAGTAIL_FIELDS = frozenset({"site", "sort_order"})

MISSING_HELP_TEXT = "core.E001"
CODE_NAME_LABEL = "core.E002"


def _page_field_names() -> frozenset[str]:
    return frozenset(field.name for field in Page._meta.get_fields())


def editor_fields(model: type[models.Model]) -> Iterator[models.Field]:
    """Yield the fields of ``model`` that an editor fills in."""
    if model.__name__.endswith("Tag"):
        return
    page_fields = _page_field_names() if issubclass(model, Page) else frozenset()
    is_task = issubclass(model, AbstractGroupApprovalTask)
    for field in model._meta.get_fields():
        if (
            not isinstance(field, models.Field)
            or not field.editable
            or field.auto_created
            or isinstance(field, ParentalKey)
            or field.name in page_fields
            or (is_task and field.name in TASK_FIELDS)
            or field.name in WAGTAIL_FIELDS
        ):
            continue
        yield field


def check_models(model_list: Iterable[type[models.Model]]) -> list[checks.Error]:
    """Return an error for each editor field without help text or a plain label."""
    errors: list[checks.Error] = []
    seen: set[models.Field] = set()
    for model in model_list:
        for field in editor_fields(model):
            # A field a model inherits from one of our concrete models is the
            # parent's field: report it once.
            if field in seen:
                continue
            seen.add(field)
            label = f"{field.model._meta.label}.{field.name}"
            if not str(field.help_text).strip():
                errors.append(
                    checks.Error(
                        f"{label} has no help text; editors see the field with "
                        "no explanation.",
                        hint=(
                            f"Add help_text to {label}: one plain sentence "
                            "telling an editor what to enter and where it "
                            'shows, e.g. help_text="Shown under the title in '
                            'search results. Up to 160 characters."'
                        ),
                        obj=field,
                        id=MISSING_HELP_TEXT,
                    )
                )
            verbose_name = str(field.verbose_name)
            if "_" in verbose_name:
                plain = verbose_name.replace("_", " ").strip()
                errors.append(
                    checks.Error(
                        f"{label} is labelled {verbose_name!r}, a code name; "
                        "editors see this label in the admin.",
                        hint=(
                            f"Give {label} a verbose_name in the words an "
                            f'editor would use, e.g. verbose_name="{plain}".'
                        ),
                        obj=field,
                        id=CODE_NAME_LABEL,
                    )
                )
    return errors


@checks.register(checks.Tags.models)
def editor_fields_have_help_text(app_configs=None, **kwargs):
    """Check the models of our own apps (of ``app_configs`` when Django gives some)."""
    if app_configs is None:
        app_configs = apps.get_app_configs()
    model_list = [
        model
        for app_config in app_configs
        if app_config.label in OUR_APPS
        for model in app_config.get_models()
        # A proxy's fields are its concrete model's, checked there.
        if not model._meta.proxy
    ]
    return check_models(model_list)
