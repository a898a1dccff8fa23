"""Settings shared by every environment.

The environment is read once, here, so the other modules only choose defaults:
``dev`` for a laptop, ``test`` for pytest, ``production`` for a server (which
refuses to start without its secrets).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = os.environ.copy()


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


def env_flag(name: str, default: bool) -> bool:
    """A yes/no environment variable ("true"/"false", "1"/"0", "yes"/"no")."""
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = env.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# Apps that customise the v3 API come before the Wagtail apps that register
# its routers, so our schema hooks are in place when those routers are built.
INSTALLED_APPS = [
    "cms.core",
    "cms.clinical",
    "cms.publishing",
    "cms.api",
    "cms.ops",
    "home",
    "articles",
    "studies",
    # Issue 16: synthetic pages for measuring the site at scale
    # (manage.py generate_demo_content), on a site of their own.
    "cms.demo",
    "corsheaders",
    "axes",
    "csp",
    "wagtail.api.v3",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    # Issue 14 (tables): the table editor (accepts paste from a spreadsheet).
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "cms.api.middleware.APIGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Issue 16: the page cache answers before sessions and users are loaded
    # (decided from the request alone), after the middleware above that add
    # security, CSP, permissions-policy and CORS headers to every answer, so a
    # cached page carries exactly a rendered one's headers.
    "cms.publishing.purge.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.clinical.middleware.RefusedPublishMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Issue 16: pages read for one request, for the blocks and rich-text links
    # that point at them (cms/core/request_pages.py).
    "cms.core.request_pages.RequestPagesMiddleware",
    # Issue 16: the site and page a path leads to, remembered per content
    # generation (cms/publishing/routes.py).
    "cms.publishing.routes.RememberedRouteMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # Issue 15: the page frame (brand, menu, footer), read once.
                "cms.core.chrome.site_chrome",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite needs no set-up; set DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# Production topology (issue 12): SQLite that holds a small team. WAL lets
# readers work while one writer writes; IMMEDIATE transactions take the write
# lock when they begin, so two overlapping publishes queue for it (up to
# "timeout" seconds) instead of failing halfway with "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": int(env.get("SQLITE_BUSY_TIMEOUT_SECONDS", "20")),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Admin logins (Wagtail's and Django's) go through django-axes first: after
# AXES_FAILURE_LIMIT wrong passwords for one user name from one address, that
# pair waits AXES_COOLOFF_TIME. Locking the pair, not the user alone, means
# nobody can lock an editor out by typing her name from somewhere else.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.core.limits.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.core.security.login_locked_out"
# Failed attempts are kept, successful logins are not (no login diary).
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "username"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.get("TIME_ZONE", "America/Denver")
USE_I18N = True
USE_TZ = True

STATIC_ROOT = Path(env.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Production topology (issue 12): media in an S3-compatible object store
# (AWS S3, R2, MinIO...) when AWS_STORAGE_BUCKET_NAME is set, through
# cms.ops.storage.MediaStorage: images public, documents private objects
# (signed URLs only). django-storages reads AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY from the environment itself. Image URLs point at
# AWS_S3_CUSTOM_DOMAIN (a CDN) or the bucket, and that origin joins the CSP's
# img-src below. Without a bucket, uploads stay in MEDIA_ROOT and the site
# serves only its image folders (cms/ops/media.py).
AWS_STORAGE_BUCKET_NAME = env.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_STORAGE_ORIGINS: list[str] = []
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = env.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_S3_ADDRESSING_STYLE = env.get("AWS_S3_ADDRESSING_STYLE") or None
    AWS_S3_URL_PROTOCOL = env.get("AWS_S3_URL_PROTOCOL", "https:")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = int(env.get("AWS_QUERYSTRING_EXPIRE", "300"))
    # A second upload of "scan.pdf" gets its own object, never replaces one.
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "cms.ops.storage.MediaStorage"}
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_STORAGE_ORIGINS = [f"{AWS_S3_URL_PROTOCOL}//{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL and AWS_S3_ADDRESSING_STYLE == "path":
        MEDIA_STORAGE_ORIGINS = [AWS_S3_ENDPOINT_URL.rstrip("/")]
    elif AWS_S3_ENDPOINT_URL:
        scheme, _, host = AWS_S3_ENDPOINT_URL.rstrip("/").partition("://")
        MEDIA_STORAGE_ORIGINS = [f"{scheme}://{AWS_STORAGE_BUCKET_NAME}.{host}"]
    else:
        MEDIA_STORAGE_ORIGINS = [
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com",
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com",
        ]
SERVE_MEDIA_IMAGES = env_flag("SERVE_MEDIA_IMAGES", not AWS_STORAGE_BUCKET_NAME)
# Documents only through Wagtail's /documents/ view, which checks a private
# collection's restriction, in every setup ("direct" or "redirect" would hand
# out the file's own URL).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Sessions in the database: logins survive a Redis outage or restart.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Tasks waiting for the worker before /readyz/ reports the queue.
HEALTH_QUEUE_MAX_DEPTH = int(env.get("HEALTH_QUEUE_MAX_DEPTH", "1000"))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = env.get("WAGTAIL_SITE_NAME", "Utah Ketamine Authority")
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Approving the last workflow task publishes without a separate publish right.
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.clinical.workflow_finish.publish_approved"
# Rich-text toolbars, by name (``RichTextField(editor="text")``): one list of
# features per kind of text instead of a list repeated in every field.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    name: {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": features},
    }
    for name, features in {
        # Body paragraphs: lists, links and superscript for footnote marks.
        "body": ["bold", "italic", "link", "ol", "ul", "superscript"],
        # Sections and intros: short formatted text with lists.
        "text": ["bold", "italic", "link", "ol", "ul"],
        # A sentence or two: emphasis and links only.
        "inline": ["bold", "italic", "link"],
    }.items()
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Uploads (cms/core/uploads.py, docs/deployment.md): damaged, mislabelled or
# oversized files are field errors in editors' words, never a server error.
# Every frame is decoded once while the form is checked, so the pixel limit
# also bounds that memory (about 3 bytes a pixel).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.core.uploads.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.core.uploads.CheckedDocumentForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(
    env.get("WAGTAILIMAGES_MAX_IMAGE_PIXELS", str(40 * 1000 * 1000))
)

# API v3: internal links in rich text are expanded to real URLs by default, so
# frontends never see Wagtail's storage format.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_LIMIT_MAX = int(env.get("WAGTAILAPI_LIMIT_MAX", "100"))
WAGTAILAPI_BASE_URL = env.get("WAGTAILAPI_BASE_URL") or None

# Other frontends (docs/api.md). Browsers on these origins may call the API.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PATCH", "PUT", "DELETE"]
# Issue 13 (consultation API): a frontend on another origin may read how long
# to wait after a 429 (browsers hide non-safelisted headers otherwise).
CORS_EXPOSE_HEADERS = ["Retry-After"]
# Seconds a browser or CDN may reuse an anonymous API answer (ETag revalidates).
API_CACHE_MAX_AGE = int(env.get("API_CACHE_MAX_AGE", "60"))
# Headless preview: the frontend route that renders a draft, and token lifetime.
FRONTEND_PREVIEW_URL = env.get("FRONTEND_PREVIEW_URL", "")
PREVIEW_TOKEN_MAX_AGE = int(env.get("PREVIEW_TOKEN_MAX_AGE", "600"))

# Content-Security-Policy (django-csp 4, cms/core/security.py). The public site
# runs no inline script or style, so the policy allows only this origin; the
# JSON-LD block is data, which CSP does not govern. No nonces: the page cache
# and the CDN hand the same HTML to many visitors, and a shared nonce is none.
# CSP_MEDIA_ORIGINS adds an image host (an S3 bucket or CDN for media) and
# CSP_FRAME_ORIGINS the video players the embed block may show.
CSP_MEDIA_ORIGINS = [*env_list("CSP_MEDIA_ORIGINS"), *MEDIA_STORAGE_ORIGINS]
CSP_FRAME_ORIGINS = env_list(
    "CSP_FRAME_ORIGINS",
    "https://www.youtube-nocookie.com,https://www.youtube.com,https://player.vimeo.com",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *CSP_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": CSP_FRAME_ORIGINS or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # The admin's preview panel frames the site; nobody else may.
        "frame-ancestors": ["'self'"],
    },
}
# The admin is Wagtail's, which still sets some inline styles and scripts: its
# strict policy is reported, not enforced (browsers log what it would block),
# beside an enforced one that still shuts plugins, <base> and foreign framing.
ADMIN_CONTENT_SECURITY_POLICY = {
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "img-src": ["'self'", "data:", "blob:", *CSP_MEDIA_ORIGINS],
    },
}
# Browser features the site never uses are switched off for it and any frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
}

EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "WARNING")},
}

# Consultation requests are health information: keep them only until intake has
# copied them into the clinic's records (``manage.py purge_form_submissions``).
FORM_SUBMISSION_RETENTION_DAYS = int(env.get("FORM_SUBMISSION_RETENTION_DAYS", "90"))

# Page types the site search covers (model strings).
SITE_SEARCH_PAGE_TYPES = [
    "home.ServicePage",
    "articles.ArticlePage",
    "studies.StudySummaryPage",
]

# Background work: a persistent queue in the database, run by `make worker`
# (`manage.py db_worker`). Webhook deliveries and CDN purges go through it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Caches. The "pages" cache holds whole HTML pages for anonymous visitors and is
# shared by every process (web servers and the worker, which may publish on a
# schedule), so without Redis it lives on disk rather than in one process's memory.
REDIS_URL = env.get("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = float(env.get("REDIS_TIMEOUT_SECONDS", "0.5"))
if REDIS_URL:
    CACHES = {
        alias: {
            # Issue 12: fails open (an empty cache) while Redis is down, with a
            # short socket timeout so a hanging Redis cannot stall requests.
            "BACKEND": "cms.ops.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": alias,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
        for alias in ("default", "pages")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.get("PAGE_CACHE_DIR", str(BASE_DIR / ".cache" / "pages")),
        },
    }
# Rate-limit counters (cms/core/limits.py) must be shared by every process, or
# each worker would allow the full rate: Redis when set, else a disk directory.
CACHES["limits"] = (
    {**CACHES["default"], "KEY_PREFIX": "limits"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.get("LIMITS_CACHE_DIR", str(BASE_DIR / ".cache" / "limits")),
    }
)
RATELIMIT_USE_CACHE = "limits"
# A down cache skips the limit (logged) instead of refusing every request.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "cms.core.limits.client_ip"
# Proxies (CDN, load balancer) in front of the app servers, each adding itself to
# X-Forwarded-For; the client address is read that many entries from the right.
TRUSTED_PROXY_COUNT = int(env.get("TRUSTED_PROXY_COUNT", "0"))
# Requests per client and period ("count/s|m|h|d") at the doors attackers use.
RATE_LIMITS = {
    # Consultation requests carry health information: a person sends one or two.
    "consultation": env.get("RATE_LIMIT_CONSULTATION", "5/h"),
    # Wrong API bearer tokens from one address before it must wait.
    "api-token-failure": env.get("RATE_LIMIT_API_TOKEN_FAILURES", "10/m"),
}

# Seconds an anonymous page view is kept; 0 turns the page cache off. Any
# publish, unpublish, move or snippet change empties it at once.
PAGE_CACHE_SECONDS = int(env.get("PAGE_CACHE_SECONDS", "600"))
# Issue 16: anonymous API reads are kept the same way and as long
# (cms/api/cache.py); 0 keeps none. Each process also keeps copies of this many
# recent answers, checked against the shared generation on every request
# (cms/core/cachestore.py); 0 keeps none.
API_CACHE_SECONDS = int(env.get("API_CACHE_SECONDS", str(PAGE_CACHE_SECONDS)))
PAGE_CACHE_LOCAL_COPIES = int(env.get("PAGE_CACHE_LOCAL_COPIES", "500"))
# Issue 16: seconds a shared page fragment is kept (cms/publishing/fragments.py:
# the head, header, content and footer of a public page, the same for every
# visitor, forgotten with the page cache on any change); 0 keeps none.
FRAGMENT_CACHE_SECONDS = int(env.get("FRAGMENT_CACHE_SECONDS", "600"))
# One log line per request (cms/ops/requestlog.py); production turns it on.
REQUEST_LOG = False
# Issue 16: pages per sitemap (cms/core/sitemaps.py). A site with at most this
# many pages gets one plain sitemap at /sitemap.xml; a bigger one a sitemap
# index of sitemaps this long (the protocol allows up to 50,000). The page count
# and latest date are kept like fragments (cms/publishing/sitemaps.py).
SITEMAP_PAGE_SIZE = int(env.get("SITEMAP_PAGE_SIZE", "1000"))

# Webhooks (see cms/publishing/webhooks.py): one attempt waits at most this long, a
# failed attempt is retried after 5 s, 10 s, 20 s ... (at most 15 minutes apart)
# until WEBHOOK_MAX_ATTEMPTS, then the delivery is marked failed for "Redeliver".
WEBHOOK_TIMEOUT_SECONDS = float(env.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_MAX_ATTEMPTS = int(env.get("WEBHOOK_MAX_ATTEMPTS", "10"))
WEBHOOK_RETRY_BASE_SECONDS = float(env.get("WEBHOOK_RETRY_BASE_SECONDS", "5"))
WEBHOOK_RETRY_MAX_SECONDS = float(env.get("WEBHOOK_RETRY_MAX_SECONDS", "900"))
# The lease (issue 12): a worker sending a delivery holds it for the attempt's
# deadline (WEBHOOK_TIMEOUT_SECONDS, connect to headers) plus this margin; a
# worker that died is noticed once its lease lapses, and the delivery is sent
# again by the next sweep (run_worker's, or send_pending_webhooks).
WEBHOOK_LEASE_MARGIN_SECONDS = float(env.get("WEBHOOK_LEASE_MARGIN_SECONDS", "15"))

# Where webhooks may go (cms/publishing/egress.py, docs/webhooks.md): public
# internet addresses only, on these ports (comma-separated). A receiver on this
# machine (loopback) is allowed, on any port, only where a settings module turns
# WEBHOOK_ALLOW_LOOPBACK on: dev.py and test.py do; production never does.
WEBHOOK_ALLOWED_PORTS = [
    int(port) for port in env_list("WEBHOOK_ALLOWED_PORTS", "443,80")
]
WEBHOOK_ALLOW_LOOPBACK = False

# A CDN in front of the site: set WAGTAILFRONTENDCACHE (see Wagtail's
# frontend_cache docs) and publishes purge page URLs, the v3 page list and
# detail, and these typed API lists.
FRONTEND_CACHE_API_LIST_PATHS = [
    "/api/v3/services/",
    "/api/v3/articles/",
    "/api/v3/studies/",
]

# Production topology (issue 12): Varnish (or any cache that accepts PURGE) in
# front. FRONTEND_CACHE_URL is where the worker sends PURGE requests, e.g.
# http://127.0.0.1:6081 (deploy/varnish/default.vcl accepts them from loopback).
FRONTEND_CACHE_URL = env.get("FRONTEND_CACHE_URL", "")
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            # Issue 12: BAN (every query string of a path) sent right after
            # the change commits, giving up after TIMEOUT seconds; a failed
            # purge is queued for the worker (cms/publishing/purge.py).
            "BACKEND": "cms.publishing.purge.VarnishBanBackend",
            "LOCATION": FRONTEND_CACHE_URL,
            "TIMEOUT": float(env.get("FRONTEND_CACHE_TIMEOUT_SECONDS", "2")),
        }
    }
