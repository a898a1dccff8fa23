"""``last_published_at`` at the top of every page detail, as on cards.

A frontend's sitemap and cache keys need when the live version was published;
v3's ``meta`` only has ``first_published_at``.
"""

import datetime
import json

import pytest
from wagtail.models import get_page_models

from cms.api.openapi import render
from cms.core.models import BasePage
from cms.core.tests.factories import publish_reviewed

pytestmark = pytest.mark.django_db


def parse(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def test_every_page_type_schema_has_last_published_at():
    schemas = json.loads(render())["components"]["schemas"]
    page_types = [
        model
        for model in get_page_models()
        if issubclass(model, BasePage) and not model._meta.abstract
    ]
    assert len(page_types) >= 9
    for model in page_types:
        schema = schemas[f"{model.__name__}Schema"]
        assert "last_published_at" in schema["properties"], model.__name__


@pytest.mark.parametrize("key", ["home", "services", "service", "article", "study"])
def test_page_detail_gives_the_last_publish_time(client, clinic, key):
    page = clinic[key]
    page.refresh_from_db()
    body = client.get(f"/api/v3/pages/{page.pk}/").json()
    if page.last_published_at is None:
        assert body["last_published_at"] is None
    else:
        published = parse(body["last_published_at"])
        assert abs(published - page.last_published_at) < datetime.timedelta(seconds=1)
    assert "last_published_at" not in body["meta"]


def test_a_new_publish_moves_last_published_at_but_not_first(client, clinic):
    service = clinic["service"]
    service.refresh_from_db()
    before = client.get(f"/api/v3/services/{service.pk}/").json()
    service.title = "IV ketamine infusions"
    publish_reviewed(service)
    after = client.get(f"/api/v3/services/{service.pk}/").json()
    assert parse(after["last_published_at"]) > parse(before["last_published_at"])
    assert after["meta"]["first_published_at"] == before["meta"]["first_published_at"]
