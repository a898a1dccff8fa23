"""Project-level guarantees: migrations, production settings, the admin login."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_migrations_are_complete():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def import_production_settings(**env) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean_env.update(env, DJANGO_SETTINGS_MODULE="cms.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = import_production_settings(ALLOWED_HOSTS="clinic.example.com")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = import_production_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_starts_with_both():
    result = import_production_settings(
        DJANGO_SECRET_KEY="x" * 50, ALLOWED_HOSTS="clinic.example.com"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_ensure_admin_prints_a_working_password_once(client):
    first = StringIO()
    call_command("ensure_admin", stdout=first)
    password = first.getvalue().split("Password: ")[1].split()[0]
    response = client.post("/admin/login/", {"username": "admin", "password": password})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    second = StringIO()
    call_command("ensure_admin", stdout=second)
    assert "already exists (admin)" in second.getvalue()
    assert password not in second.getvalue()
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_the_database_lane_is_the_one_asked_for():
    """The PostgreSQL lane really runs on PostgreSQL, not a silent SQLite fallback."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected
