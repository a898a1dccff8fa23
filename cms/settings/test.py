"""pytest: fast hashing, in-memory e-mail and cache, plain static storage."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - never used outside the test run
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    alias: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": alias,
    }
    for alias in ("default", "pages")
}
CACHES["limits"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "limits",
}
# Factories create live pages without publishing them, so a page cache would
# serve one test's HTML to the next; the page-cache tests turn it on themselves.
PAGE_CACHE_SECONDS = 0
# Issue 16: the same for anonymous API reads (cms/api/cache.py).
API_CACHE_SECONDS = 0
# And for shared page fragments (cms/publishing/fragments.py).
FRAGMENT_CACHE_SECONDS = 0
# Retries happen at once in tests: no test sleeps through a backoff.
WEBHOOK_RETRY_BASE_SECONDS = 0
WEBHOOK_TIMEOUT_SECONDS = 5
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Wagtail's own tasks (search and reference indexes) run at once, as most tests
# expect; the publishing-pipeline tests switch to the database queue themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Close connections after each request, so the live server's thread leaves none
# open when PostgreSQL drops the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Webhook tests use receivers on 127.0.0.1 (random ports); the tests of the
# refusal turn this off themselves.
WEBHOOK_ALLOW_LOOPBACK = True
