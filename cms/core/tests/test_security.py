"""Defences at the doors: login lockout, security headers, the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        username="editor", email="editor@example.com", password=PASSWORD
    )


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_fifth_wrong_password_pauses_that_user_from_that_address(client, editor):
    for _ in range(4):
        response = sign_in(client, "editor", "wrong")
        assert response.status_code == 200  # the login form again, with its error
        assert "username and password didn" in response.content.decode()
    assert sign_in(client, "editor", "wrong").status_code == 429  # the fifth
    locked = sign_in(client, "editor", PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    text = locked.content.decode()
    assert "Too many sign-in attempts" in text
    assert "about 15 minutes" in text
    assert client.get("/admin/").status_code == 302  # still signed out


def test_someone_else_typing_her_name_does_not_lock_the_editor_out(client, editor):
    for _ in range(10):
        sign_in(client, "editor", "guess", address="198.51.100.66")
    response = sign_in(client, "editor", PASSWORD, address="203.0.113.7")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_attacker_address_is_refused_even_with_the_right_password(client, editor):
    for _ in range(6):
        sign_in(client, "editor", "guess", address="198.51.100.66")
    assert (
        sign_in(client, "editor", PASSWORD, address="198.51.100.66").status_code == 429
    )


def test_a_successful_login_clears_earlier_mistakes(client, editor):
    for _ in range(4):
        sign_in(client, "editor", "typo")
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "editor", "typo")
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_the_django_admin_login_is_limited_too(client, editor):
    for _ in range(5):
        client.post(
            "/django-admin/login/",
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
        )
    response = client.post(
        "/django-admin/login/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(
    client, editor, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "guess"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    # Another visitor behind the same proxy is a different address.
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_header_changes_nothing(
    client, editor
):
    for index in range(5):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "guess"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{index}",
        )
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert response.status_code == 429


# Headers


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("path", ["/", "/search/?q=ketamine", "/api/v3/pages/"])
def test_the_public_site_enforces_a_strict_policy(client, home_page, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    for sources in policy.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
    assert "Content-Security-Policy-Report-Only" not in response
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_the_admin_enforces_a_short_policy_and_reports_the_strict_one(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    enforced = csp_directives(response["Content-Security-Policy"])
    assert enforced["object-src"] == ["'none'"]
    assert enforced["frame-ancestors"] == ["'self'"]
    assert enforced["base-uri"] == ["'self'"]
    reported = csp_directives(response["Content-Security-Policy-Report-Only"])
    assert reported["script-src"] == ["'self'"]


def test_a_cached_page_keeps_its_headers(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client.get("/")
    cached = client.get("/")
    assert "Content-Security-Policy" in cached
    assert "Permissions-Policy" in cached


def test_public_templates_hold_no_inline_script_or_style():
    """The strict policy would block them: every script and style is a file.

    ``<script type="application/ld+json">`` is data, which CSP does not govern.
    """
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for marker in (" style=", "<style", " onclick=", " onload=", " onsubmit="):
            if marker in text:
                offenders.append(f"{template.relative_to(ROOT)}: {marker.strip()}")
        if "<script" in text and "<script src=" not in text:
            offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
    assert offenders == []


def test_the_deploy_check_passes_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "clinic.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_turning_off_hsts_preload_is_a_documented_deliberate_exception():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "clinic.example.com",
        "SECURE_HSTS_PRELOAD": "false",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECURE_HSTS_PRELOAD, settings.SILENCED_SYSTEM_CHECKS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False ['security.W021']", result.stderr
    assert "SECURE_HSTS_PRELOAD" in (ROOT / "docs" / "deployment.md").read_text()
