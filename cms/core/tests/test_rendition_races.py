"""Two processes making the same renditions at once show one picture.

The worker prepares a page's renditions when it is published; the first
visitor can ask for the same renditions before the worker is done. Here the
"other process" (the worker) inserts its rows after this one has checked for
them and before it inserts its own, the window in which Wagtail's
``bulk_create(ignore_conflicts=True)`` silently drops this process's rows.
"""

import secrets
from pathlib import PurePosixPath
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from wagtail.images.models import Image, Rendition

from cms.core import renditions
from cms.core.tests.fixtures import make_image

pytestmark = pytest.mark.django_db


def stored_renditions_of(image) -> set[str]:
    """Every rendition file of ``image`` in storage, row or no row."""
    stem = PurePosixPath(image.file.name).stem.split("_")[0]
    _folders, files = default_storage.listdir("images")
    return {
        f"images/{name}"
        for name in files
        if name.startswith(stem) and ".format-" in name
    }


def the_worker_inserts_first(image, filters):
    """A ``bulk_create`` that lets the worker's rows land first, once."""
    stock_bulk_create = QuerySet.bulk_create
    worker_image = Image.objects.get(pk=image.pk)
    raced = []

    def racing_bulk_create(queryset, objs, *args, **kwargs):
        if queryset.model is Rendition and not raced:
            raced.append(True)
            for spec in filters:
                worker_image.create_rendition(spec)  # the worker's insert
        return stock_bulk_create(queryset, objs, *args, **kwargs)

    return mock.patch.object(QuerySet, "bulk_create", racing_bulk_create)


def test_the_visitor_who_lost_the_insert_shows_the_rows_the_database_kept():
    image = make_image(f"Race {secrets.token_hex(3)}", width=900, height=500)
    filters = renditions.specs("format-{avif,webp}|width-{400,800}")

    with the_worker_inserts_first(image, filters):
        shown = image.get_renditions(*filters)

    kept = {row.filter_spec: row.file.name for row in image.renditions.all()}
    assert len(kept) == len(filters)
    assert {spec: r.file.name for spec, r in shown.items()} == kept
    # The losing copies are not left in the bucket without a row.
    assert stored_renditions_of(image) == set(kept.values())
    # Wagtail's rendition cache, shared by the app servers, holds the kept
    # rows too: another server reading it shows the same addresses.
    cached = Rendition.cache_backend.get_many(
        [
            Rendition.construct_cache_key(image, spec.get_cache_key(image), spec.spec)
            for spec in filters
        ]
    )
    assert {r.filter_spec: r.file.name for r in cached.values()} == kept


def test_without_a_race_the_renditions_made_are_the_rows():
    image = make_image(f"Calm {secrets.token_hex(3)}", width=900, height=500)
    filters = renditions.specs("format-{avif,webp}|width-{400,800}")

    shown = image.get_renditions(*filters)

    kept = {row.filter_spec: row.file.name for row in image.renditions.all()}
    assert {spec: r.file.name for spec, r in shown.items()} == kept
    assert stored_renditions_of(image) == set(kept.values())
