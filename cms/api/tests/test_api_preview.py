"""Headless preview: the unsaved draft, only with a valid, unexpired, matching token."""

from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import RequestFactory
from django.utils import timezone

from cms.core import preview
from cms.core.models import PreviewDraft

pytestmark = pytest.mark.django_db

FRONTEND = "https://frontend.example/api/preview"


def preview_token(page, title) -> dict:
    """What the admin's preview pane does in "Frontend" mode for an unsaved title."""
    page.title = title
    response = page.serve_preview(RequestFactory().get("/"), "frontend")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == FRONTEND
    return {key: values[0] for key, values in parse_qs(location.query).items()}


@pytest.fixture
def frontend(settings):
    settings.FRONTEND_PREVIEW_URL = FRONTEND


def test_preview_mode_is_offered_only_with_a_frontend(settings, clinic):
    settings.FRONTEND_PREVIEW_URL = ""
    assert "frontend" not in dict(clinic["study"].preview_modes)
    settings.FRONTEND_PREVIEW_URL = FRONTEND
    assert "frontend" in dict(clinic["study"].preview_modes)


def test_stored_draft_is_served_with_its_token(client, frontend, clinic):
    study = clinic["study"]
    study.title = "An unsaved edit"
    token = preview.store_draft(study)
    response = client.get("/api/v3/preview/", {"page_id": study.pk, "token": token})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["title"] == "An unsaved edit"
    assert data["meta"]["type"] == "studies.StudySummaryPage"
    assert data["citation"]["doi"] == "10.1097/AAP.0000000000000808"
    assert response["Cache-Control"] == "private, no-store"
    live = client.get(f"/api/v3/studies/{study.pk}/").json()
    assert live["title"] == "Ketamine for chronic pain: a review"


def test_preview_redirects_the_frontend_with_a_working_token(client, frontend, clinic):
    article = clinic["article"]
    query = preview_token(article, "Sleep, pain and you")
    assert query["page_id"] == str(article.pk)
    data = client.get("/api/v3/preview/", query).json()
    assert data["title"] == "Sleep, pain and you"


def problem(client, **params):
    response = client.get("/api/v3/preview/", params)
    assert response["Content-Type"] == "application/problem+json"
    return response.status_code


def test_forged_expired_and_misused_tokens_are_refused(client, frontend, clinic):
    study, service = clinic["study"], clinic["service"]
    token = preview.store_draft(study)
    assert problem(client, page_id=study.pk, token=token + "x") == 401
    forged = signing.dumps({"page": study.pk, "key": "guess"}, salt="other")
    assert problem(client, page_id=study.pk, token=forged) == 401
    assert problem(client, page_id=service.pk, token=token) == 404
    guessed_key = signing.dumps({"page": study.pk, "key": "guess"}, salt=preview.SALT)
    assert problem(client, page_id=study.pk, token=guessed_key) == 404
    later = signing.time.time() + preview.max_age() + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert problem(client, page_id=study.pk, token=token) == 401
    assert problem(client, page_id=study.pk) == 422


def test_the_draft_is_kept_in_the_database_not_in_a_cache(
    client, frontend, clinic, settings
):
    """Any app server finds it, and a cache outage (Redis down) loses nothing."""
    article = clinic["article"]
    query = preview_token(article, "Shared between servers")
    assert PreviewDraft.objects.filter(page=article).count() == 1
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        for alias in ("default", "pages", "limits")
    }
    response = client.get("/api/v3/preview/", query)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Shared between servers"


def test_expired_drafts_are_deleted_and_no_longer_served(client, frontend, clinic):
    study = clinic["study"]
    study.title = "An old edit"
    old_token = preview.store_draft(study)
    later = timezone.now() + timedelta(seconds=preview.max_age() + 1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        # Only the database clock moves: the token's signature still passes,
        # so it is the row's own expiry that refuses it.
        grant = preview.read_token(old_token, study.pk)
        with pytest.raises(preview.PreviewError) as refused:
            preview.load_draft(grant, study)
        assert refused.value.status == 404
        study.title = "A new edit"
        new_token = preview.store_draft(study)
    titles = [row.content["title"] for row in PreviewDraft.objects.all()]
    assert titles == ["A new edit"]
    response = client.get("/api/v3/preview/", {"page_id": study.pk, "token": old_token})
    assert response.status_code == 404
    assert response.json()["detail"] == "This preview is no longer available."
    assert (
        client.get(
            "/api/v3/preview/", {"page_id": study.pk, "token": new_token}
        ).json()["title"]
        == "A new edit"
    )


def test_a_deleted_page_takes_its_drafts_with_it(frontend, clinic):
    service = clinic["service"]
    preview.store_draft(service)
    service.delete()
    assert not PreviewDraft.objects.exists()
