"""Local development: debug on, a throw-away key, e-mail printed to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
# Only for local development; production.py requires DJANGO_SECRET_KEY.
SECRET_KEY = env.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-not-for-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Webhooks to a receiver on this machine (docs/webhooks.md), on any port.
WEBHOOK_ALLOW_LOOPBACK = True
