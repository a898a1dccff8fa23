"""Production: refuses to start without its secrets, so none is ever defaulted.

Required: DJANGO_SECRET_KEY, ALLOWED_HOSTS. Everything else has a safe default
(see the environment table in docs/deployment.md).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_flag, env_list

DEBUG = False

SECRET_KEY = env.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
        "and set it in the environment."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Give the site's host names, comma-separated, "
        "e.g. ALLOWED_HOSTS=clinic.example.com,www.clinic.example.com"
    )

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env.get("SECURE_HSTS_SECONDS", "31536000"))
# Every subdomain is HTTPS-only and the domain may join browsers' preload list.
# A clinic whose other subdomains cannot serve HTTPS yet turns these off; the
# matching `check --deploy` warning is then silenced on purpose, not forgotten
# (docs/deployment.md).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)
SILENCED_SYSTEM_CHECKS = [
    check
    for check, enabled in (
        ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", SECURE_HSTS_PRELOAD),
    )
    if not enabled
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Production topology (issue 12): one JSON log line per request
# (cms/ops/requestlog.py: method, path, status, duration; nothing personal)
# and every other log record as JSON too, on the console for the process
# manager (journald) to collect. REQUEST_LOG=false turns the request lines off.
REQUEST_LOG = env_flag("REQUEST_LOG", True)
if REQUEST_LOG:
    MIDDLEWARE = ["cms.ops.requestlog.RequestLogMiddleware", *MIDDLEWARE]  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
            },
        },
        "request_line": {"()": "cms.ops.requestlog.RequestLineFormatter"},
    },
    "filters": {"redact_request": {"()": "cms.ops.requestlog.RedactRequest"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact_request"],
        },
        "requests": {"class": "logging.StreamHandler", "formatter": "request_line"},
    },
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "cms.requests": {"level": "INFO", "handlers": ["requests"], "propagate": False}
    },
}
