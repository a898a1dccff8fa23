"""Wrong API tokens are limited per client address (RATE_LIMITS["api-token-failure"]).

Ten wrong tokens a minute from one address; the next request with a token
from there is a 429 problem with ``Retry-After``, whichever token it carries.
Other addresses, and requests without a token, are served as usual.
"""

import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from wagtail.models import APIToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_window")]

ATTACKER = "203.0.113.7"
OTHER = "198.51.100.20"


@pytest.fixture
def one_window(monkeypatch):
    """The limiter's clock stands still, so no test straddles two windows."""
    now = time.time()
    frozen = SimpleNamespace(time=lambda: now)
    monkeypatch.setattr(django_ratelimit.core, "time", frozen)


@pytest.fixture
def secret(admin_user):
    _token, secret = APIToken.create_token(user=admin_user, name="frontend")
    return secret


def get(client, url, token, address):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)


def test_a_valid_token_works_and_is_not_counted(client, clinic, secret, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api-token-failure": "10/m"}
    for _ in range(12):
        response = get(client, "/api/v3/pages/", secret, ATTACKER)
        assert response.status_code == 200
    # Our own lists do not read tokens; a good one is still not a failure.
    for _ in range(12):
        assert get(client, "/api/v3/services/", secret, ATTACKER).status_code == 200


def test_the_eleventh_request_after_ten_wrong_tokens_is_429(
    client, clinic, secret, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api-token-failure": "10/m"}
    assert get(client, "/api/v3/whoami/", secret, ATTACKER).status_code == 200
    for attempt in range(10):
        response = get(client, "/api/v3/whoami/", f"wagtail_wrong{attempt}", ATTACKER)
        assert response.status_code == 401, attempt
    response = get(client, "/api/v3/whoami/", "wagtail_wrong10", ATTACKER)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60
    body = response.json()
    assert body["status"] == 429
    assert "Too many requests with a wrong API token" in body["detail"]
    assert f"Try again in {retry_after} seconds." in body["detail"]
    # The right token from that address waits too: a guess must not be confirmed.
    assert get(client, "/api/v3/whoami/", secret, ATTACKER).status_code == 429
    # Public reads without a token are not limited.
    assert client.get("/api/v3/services/", REMOTE_ADDR=ATTACKER).status_code == 200
    # Another address is unaffected.
    assert get(client, "/api/v3/whoami/", secret, OTHER).status_code == 200


def test_wrong_tokens_on_public_lists_count_too(client, clinic, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api-token-failure": "3/m"}
    for _ in range(3):
        # A wrong token on a public list is served anonymously, but counted.
        assert get(client, "/api/v3/pages/", "nope", ATTACKER).status_code == 200
    assert get(client, "/api/v3/services/", "nope", ATTACKER).status_code == 429


def test_a_blank_or_malformed_bearer_header_counts(client, clinic, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api-token-failure": "2/m"}
    for header in ("Bearer", "Bearer    "):
        client.get("/api/v3/whoami/", HTTP_AUTHORIZATION=header, REMOTE_ADDR=ATTACKER)
    response = get(client, "/api/v3/whoami/", "x", ATTACKER)
    assert response.status_code == 429


def test_a_revoked_token_is_a_failure(client, clinic, admin_user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api-token-failure": "1/m"}
    token, secret = APIToken.create_token(user=admin_user, name="old")
    token.revoke()
    assert get(client, "/api/v3/whoami/", secret, ATTACKER).status_code == 401
    assert get(client, "/api/v3/whoami/", secret, ATTACKER).status_code == 429
