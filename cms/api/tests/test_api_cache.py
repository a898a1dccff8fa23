"""Anonymous API reads from the cache: hits, 304s from the key, fresh after changes.

The API cache is on here (``API_CACHE_SECONDS``); the rest of the suite runs
with it off, because factories make live pages without publishing them.
"""

import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone
from wagtail.models import APIToken, PageViewRestriction, Site

from cms.core import cachestore
from cms.core.models import ClinicSettings
from cms.core.tests.factories import publish_reviewed
from cms.publishing import purge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def api_cache_on(settings, empty_page_store):
    settings.API_CACHE_SECONDS = 600
    settings.API_CACHE_MAX_AGE = 60


def study_url(clinic):
    return f"/api/v3/studies/{clinic['study'].pk}/"


def test_a_second_read_is_served_from_the_cache_without_a_query(
    client, clinic, django_assert_num_queries
):
    first = client.get(study_url(clinic))
    assert first.status_code == 200
    assert first["X-API-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get(study_url(clinic))
    assert again.status_code == 200
    assert again["X-API-Cache"] == "hit"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json; charset=utf-8"
    assert again["Cache-Control"] == "public, max-age=60"
    assert again.json()["title"] == "Ketamine for chronic pain: a review"


def test_if_none_match_is_answered_304_without_rendering_or_querying(
    client, clinic, django_assert_num_queries
):
    etag = client.get("/api/v3/services/")["ETag"]
    # The stored body is not needed either: the ETag is derived from the key.
    token = cachestore.generation()
    caches["pages"].clear()
    caches["pages"].set(cachestore.GENERATION_KEY, token, None)
    cachestore.local_copies().clear()
    with django_assert_num_queries(0):
        unchanged = client.get("/api/v3/services/", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert unchanged["Cache-Control"] == "public, max-age=60"
    assert {"Accept", "Authorization"} <= {
        part.strip() for part in unchanged["Vary"].split(",")
    }
    other = client.get("/api/v3/services/", HTTP_IF_NONE_MATCH='"someone-elses"')
    assert other.status_code == 200
    assert other.json()["items"][0]["title"] == "IV ketamine"


def test_the_etag_names_the_query_the_accept_header_and_the_day(
    client, clinic, monkeypatch
):
    plain = client.get("/api/v3/services/")["ETag"]
    assert client.get("/api/v3/services/?limit=1")["ETag"] != plain
    assert client.get("/api/v3/services/", HTTP_ACCEPT="application/json")["ETag"] != (
        plain
    )
    today = timezone.localdate()
    monkeypatch.setattr(cachestore, "today", lambda: today + datetime.timedelta(days=1))
    tomorrow = client.get("/api/v3/services/")
    # Review status depends on the date: tomorrow's answer is rendered afresh.
    assert tomorrow["X-API-Cache"] == "miss"
    assert tomorrow["ETag"] != plain
    assert client.get("/api/v3/services/", HTTP_IF_NONE_MATCH=plain).status_code == 200


def test_each_origin_gets_its_own_cors_headers_from_one_cached_answer(
    client, clinic, settings
):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example", "https://kiosk.example"]
    first = client.get("/api/v3/services/", HTTP_ORIGIN="https://app.example")
    assert first["X-API-Cache"] == "miss"
    assert first["Access-Control-Allow-Origin"] == "https://app.example"
    second = client.get("/api/v3/services/", HTTP_ORIGIN="https://kiosk.example")
    assert second["X-API-Cache"] == "hit"
    assert second["Access-Control-Allow-Origin"] == "https://kiosk.example"
    assert "origin" in second["Vary"].lower()
    stranger = client.get("/api/v3/services/", HTTP_ORIGIN="https://evil.example")
    assert stranger["X-API-Cache"] == "hit"
    assert "Access-Control-Allow-Origin" not in stranger


def test_token_holders_and_previews_are_never_served_or_stored(
    client, admin_user, clinic
):
    _token, secret = APIToken.create_token(user=admin_user, name="test")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v3/pages/")["X-API-Cache"] == "miss"
    with_token = client.get("/api/v3/pages/", **bearer)
    assert with_token.status_code == 200
    assert "X-API-Cache" not in with_token
    assert with_token["Cache-Control"] == "private, no-store"
    assert "ETag" not in with_token
    # A token read of a fresh URL leaves nothing for anonymous callers.
    client.get("/api/v3/pages/?limit=3", **bearer)
    assert client.get("/api/v3/pages/?limit=3")["X-API-Cache"] == "miss"

    preview = client.get(f"/api/v3/preview/?page_id={clinic['study'].pk}&token=forged")
    assert preview.status_code == 401
    assert "X-API-Cache" not in preview
    assert preview["Cache-Control"] == "private, no-store"


def test_errors_are_never_cached(client, clinic):
    for _ in range(2):
        missing = client.get("/api/v3/studies/99999/")
        assert missing.status_code == 404
        assert missing["Content-Type"] == "application/problem+json"
        assert "X-API-Cache" not in missing
        assert "ETag" not in missing


def change_title(clinic):
    study = clinic["study"]
    study.title = "Ketamine for chronic pain: corrected"
    publish_reviewed(study)


def unpublish(clinic):
    clinic["study"].unpublish()


def make_private(clinic):
    PageViewRestriction.objects.create(
        page=clinic["study"], restriction_type=PageViewRestriction.LOGIN
    )


def rename_reviewer(clinic):
    reviewer = clinic["reviewer"]
    reviewer.name = "Rae Patel-Okafor"
    reviewer.save()


def change_phone(clinic):
    settings = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    settings.phone = "+1 555 0100"
    settings.save()


def reindexed(clinic):
    purge.search_index_updated(clinic["study"])


def delete(clinic):
    clinic["study"].delete()


def reorder(clinic):
    """A move that keeps the address still changes listings' order."""
    clinic["study"].move(clinic["studies"], pos="first-child")


DOORS = {
    # door: (change, the URL read before and after, what the next read shows)
    "publish": (
        change_title,
        "study",
        lambda r: r.json()["title"] == "Ketamine for chronic pain: corrected",
    ),
    "unpublish": (unpublish, "study", lambda r: r.status_code == 404),
    "made private": (make_private, "study", lambda r: r.status_code == 404),
    "snippet saved": (
        rename_reviewer,
        "study",
        lambda r: "Rae Patel-Okafor" in r.content.decode(),
    ),
    "settings saved": (
        change_phone,
        "/api/v3/site/",
        lambda r: r.json()["phone"] == "+1 555 0100",
    ),
    "search re-indexed": (reindexed, "study", lambda r: r["X-API-Cache"] == "miss"),
    "deleted": (delete, "study", lambda r: r.status_code == 404),
    "moved": (reorder, "/api/v3/studies/", lambda r: r["X-API-Cache"] == "miss"),
}


@pytest.mark.parametrize("door", DOORS)
def test_a_change_is_visible_on_the_very_next_read(client, clinic, on_commit, door):
    change, url, shows_it = DOORS[door]
    url = study_url(clinic) if url == "study" else url
    before = client.get(url)
    assert before.status_code == 200
    assert client.get(url)["X-API-Cache"] == "hit"

    on_commit(lambda: change(clinic))
    after = client.get(url)
    assert "X-API-Cache" not in after or after["X-API-Cache"] == "miss"
    assert shows_it(after)
    if after.status_code == 200:
        assert after["ETag"] != before["ETag"]
        # The ETag the caller held is no longer current.
        stale = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
        assert stale.status_code == 200
