"""HTTP edges of the API: caching headers, CORS, and 4xx problems instead of 500s."""

import pytest
from wagtail.models import APIToken

from cms.core.tests.factories import publish_reviewed

pytestmark = pytest.mark.django_db


def test_anonymous_reads_carry_etag_and_answer_304(client, settings, clinic):
    settings.API_CACHE_MAX_AGE = 120
    response = client.get("/api/v3/services/")
    assert response["Cache-Control"] == "public, max-age=120"
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert "Authorization" in response["Vary"]
    again = client.get("/api/v3/services/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/api/v3/services/", HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200


def test_the_etag_changes_when_content_changes(client, clinic):
    before = client.get("/api/v3/services/")["ETag"]
    service = clinic["service"]
    service.title = "IV ketamine infusions"
    publish_reviewed(service)
    assert client.get("/api/v3/services/")["ETag"] != before


def test_token_holders_get_private_uncached_answers(client, admin_user, clinic):
    _token, secret = APIToken.create_token(user=admin_user, name="test")
    response = client.get("/api/v3/pages/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_cors_allows_only_listed_origins(client, settings, clinic):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    allowed = client.get("/api/v3/services/", HTTP_ORIGIN="https://app.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example"
    other = client.get("/api/v3/services/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    page = client.get("/", HTTP_ORIGIN="https://app.example")
    assert "Access-Control-Allow-Origin" not in page


@pytest.mark.parametrize(
    "method, url, status",
    [
        ("patch", "/api/v3/pages/abc/", 422),
        ("delete", "/api/v3/pages/abc/", 422),
        ("get", "/api/v3/pages/abc/", 422),
        ("get", "/api/v3/pages/99999999999999999999999/", 422),
        ("get", "/api/v3/pages/?offset=99999999999999999999999", 400),
        ("get", "/api/v3/pages/?limit=100000", 400),
        ("get", "/api/v3/services/abc/", 422),
        ("get", "/api/v3/services/0/", 422),
        ("get", "/api/v3/services/99999999999/", 422),
        ("get", "/api/v3/services/find/", 422),
        ("get", "/api/v3/services/find/?html_path=%00", 400),
        ("get", "/api/v3/studies/?search=%00", 400),
        ("get", "/api/v3/studies/?evidence_level=9", 422),
        ("get", "/api/v3/preview/?page_id=x&token=y", 422),
    ],
)
def test_bad_input_is_a_problem_not_a_crash(client, clinic, method, url, status):
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(
            url, data="{not json", content_type="application/json"
        )
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"]


def test_malformed_json_body_with_a_token_is_a_problem(client, admin_user, clinic):
    _token, secret = APIToken.create_token(user=admin_user, name="test")
    response = client.patch(
        f"/api/v3/pages/{clinic['service'].pk}/",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


def test_writes_need_a_token(client, clinic):
    response = client.patch(
        f"/api/v3/pages/{clinic['service'].pk}/",
        data={"title": "Hacked"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert client.get("/api/v3/services/").json()["items"][0]["title"] == (
        "IV ketamine"
    )
