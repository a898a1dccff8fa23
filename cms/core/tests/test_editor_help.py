"""Every field an editor fills in has a plain-language label and help text."""

import pytest
from django.apps import apps
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.models import AbstractGroupApprovalTask, Page

OUR_APPS = ("core", "home", "articles", "studies")
PAGE_FIELDS = {field.name for field in Page._meta.get_fields()}
# Workflow tasks inherit Wagtail's own fields (name, active, groups).
TASK_FIELDS = {"name", "active", "groups", "content_type"}


def editor_fields():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model.__name__.endswith("Tag"):
            continue
        for field in model._meta.get_fields():
            if (
                not isinstance(field, models.Field)
                or not field.editable
                or field.auto_created
                or isinstance(field, ParentalKey)
                or field.name in PAGE_FIELDS
                or (
                    issubclass(model, AbstractGroupApprovalTask)
                    and field.name in TASK_FIELDS
                )
                or field.name in {"site", "sort_order"}
            ):
                continue
            yield pytest.param(field, id=f"{model.__name__}.{field.name}")


@pytest.mark.parametrize("field", list(editor_fields()))
def test_field_has_help_text(field):
    assert str(field.help_text).strip(), f"{field.model.__name__}.{field.name}"
    assert "_" not in str(field.verbose_name), "labels are words, not code names"
