"""The system check that every editor field has a plain label and help text."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page, Site

from cms.core import checks as editor_checks
from cms.core.checks import (
    CODE_NAME_LABEL,
    MISSING_HELP_TEXT,
    check_models,
    editor_fields,
    editor_fields_have_help_text,
)


def reported(errors):
    """(id, model label.field name) for each error, to assert on."""
    return sorted((e.id, f"{e.obj.model._meta.label}.{e.obj.name}") for e in errors)


# The real project


def test_project_has_no_errors():
    assert editor_fields_have_help_text(app_configs=None) == []


def test_manage_py_check_passes():
    # Raises SystemCheckError if any check, this one included, finds an error.
    call_command("check", verbosity=0)


def test_manage_py_check_reports_our_errors(monkeypatch):
    error = checks.Error("x has no help text", id=MISSING_HELP_TEXT)
    monkeypatch.setattr(editor_checks, "check_models", lambda models: [error])
    with pytest.raises(SystemCheckError, match=MISSING_HELP_TEXT):
        call_command("check", verbosity=0)


def test_check_is_registered_for_models():
    registered = checks.registry.registry.get_checks()
    assert editor_fields_have_help_text in registered
    assert checks.Tags.models in editor_fields_have_help_text.tags


def test_check_looks_at_our_apps_only():
    # Django's User has fields without help text (first_name); not ours.
    assert "first_name" in {f.name for f in editor_fields(apps.get_model("auth.User"))}
    assert editor_fields_have_help_text([apps.get_app_config("auth")]) == []
    assert {"core", "home", "articles", "studies"} <= editor_checks.OUR_APPS


def test_check_honours_app_configs(monkeypatch):
    """Given a subset of apps, Django's subset is what gets checked."""
    seen = []
    monkeypatch.setattr(
        editor_checks, "check_models", lambda models: seen.extend(models) or []
    )
    editor_fields_have_help_text([apps.get_app_config("core")])
    assert seen
    assert {model._meta.app_label for model in seen} == {"core"}


def test_page_fields_are_not_editor_fields():
    page_models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in editor_checks.OUR_APPS and issubclass(model, Page)
    ]
    assert page_models
    for model in page_models:
        names = {field.name for field in editor_fields(model)}
        assert not names & {"title", "slug", "seo_title", "search_description"}


# Throwaway models: isolate_apps keeps them out of the real registry and the
# database. They are never displayed, so they need no __str__ (DJ008).


@isolate_apps("cms.core")
def test_missing_help_text_is_reported():
    class Leaflet(models.Model):  # noqa: DJ008
        heading = models.CharField(max_length=100)
        summary = models.TextField(help_text="One sentence shown under the heading.")
        blank_help = models.CharField(max_length=10, help_text="   ")

        class Meta:
            app_label = "core"

    errors = check_models([Leaflet])

    assert reported(errors) == [
        (MISSING_HELP_TEXT, "core.Leaflet.blank_help"),
        (MISSING_HELP_TEXT, "core.Leaflet.heading"),
    ]
    heading = next(e for e in errors if e.obj.name == "heading")
    assert isinstance(heading, checks.Error)
    assert heading.obj is Leaflet._meta.get_field("heading")
    assert "core.Leaflet.heading" in heading.msg
    assert "help_text" in heading.hint


@isolate_apps("cms.core")
def test_code_name_label_is_reported():
    class Leaflet(models.Model):  # noqa: DJ008
        meta_title = models.CharField(
            max_length=60, help_text="Shown in search results."
        )
        cta_url = models.URLField(
            verbose_name="cta_url", help_text="Where the button goes."
        )
        plain = models.CharField(
            max_length=10, verbose_name="call to action", help_text="The button text."
        )

        class Meta:
            app_label = "core"

    errors = check_models([Leaflet])

    # meta_title's default label is "meta title": Django turns "_" into spaces.
    assert reported(errors) == [(CODE_NAME_LABEL, "core.Leaflet.cta_url")]
    assert errors[0].level == checks.ERROR
    assert 'verbose_name="cta url"' in errors[0].hint


@isolate_apps("cms.core")
def test_field_with_both_problems_gets_both_errors():
    class Leaflet(models.Model):  # noqa: DJ008
        body = models.TextField(verbose_name="body_text")

        class Meta:
            app_label = "core"

    assert reported(check_models([Leaflet])) == [
        (MISSING_HELP_TEXT, "core.Leaflet.body"),
        (CODE_NAME_LABEL, "core.Leaflet.body"),
    ]


@isolate_apps("cms.core")
def test_excluded_fields_are_not_reported():
    class Parent(ClusterableModel):
        title = models.CharField(max_length=100, help_text="The leaflet's title.")
        code = models.CharField(max_length=10, editable=False)

        class Meta:
            app_label = "core"

    class Row(Orderable):
        # ParentalKey and sort_order: not filled in by an editor.
        page = ParentalKey(Parent, on_delete=models.CASCADE, related_name="rows")
        text = models.CharField(max_length=100, help_text="One line of the list.")

        class Meta(Orderable.Meta):
            app_label = "core"

    class LeafletSettings(models.Model):  # noqa: DJ008
        site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    class LeafletTag(models.Model):  # noqa: DJ008
        tag = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    class LeafletTask(AbstractGroupApprovalTask):
        # name, active, content_type (from Task) and groups are Wagtail's.
        class Meta:
            app_label = "core"

    throwaway = [Parent, Row, LeafletSettings, LeafletTag, LeafletTask]
    assert check_models(throwaway) == []
    # The exclusions are specific: the same fields elsewhere are checked.
    assert {f.name for f in editor_fields(Parent)} == {"title"}
    assert {f.name for f in editor_fields(Row)} == {"text"}
    assert list(editor_fields(LeafletSettings)) == []
    assert list(editor_fields(LeafletTag)) == []
    assert list(editor_fields(LeafletTask)) == []


@isolate_apps("cms.core")
def test_same_names_are_checked_outside_their_exclusion():
    # "title" is only Page's on a page; "name"/"groups" only a task's on a task.
    class Leaflet(models.Model):  # noqa: DJ008
        title = models.CharField(max_length=100)
        name = models.CharField(max_length=100)
        groups = models.ManyToManyField(Group, related_name="+")

        class Meta:
            app_label = "core"

    assert reported(check_models([Leaflet])) == [
        (MISSING_HELP_TEXT, "core.Leaflet.groups"),
        (MISSING_HELP_TEXT, "core.Leaflet.name"),
        (MISSING_HELP_TEXT, "core.Leaflet.title"),
    ]


def test_throwaway_models_never_reached_the_registry():
    assert not any(model.__name__.startswith("Leaflet") for model in apps.get_models())
