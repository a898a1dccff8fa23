"""The page cache first in line: decided from the request, no query on a hit.

The cache middleware runs before the session and authentication middleware,
so a hit loads no session and no user; the middleware before it add the same
security headers to hits and misses. With Redis, each process keeps its own
copies, checked against the shared generation, which Redis tells each process
about when it changes (no round trip on a hit); a real ``redis-server`` on
127.0.0.1 shows it.
"""

import datetime

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from cms.core import cachestore
from cms.core.models import ClinicSettings
from cms.ops.cache import FailOpenRedisCache

pytestmark = pytest.mark.django_db

CACHE_MIDDLEWARE = "cms.publishing.purge.AnonymousPageCacheMiddleware"


@pytest.fixture(autouse=True)
def page_cache_on(settings, empty_page_store):
    settings.PAGE_CACHE_SECONDS = 600


def publish(page, title=None):
    if title:
        page.title = title
    page.save_revision().publish()


def test_the_cache_answers_before_sessions_and_users_are_loaded():
    order = django_settings.MIDDLEWARE
    cache = order.index(CACHE_MIDDLEWARE)
    for inner in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ):
        assert cache < order.index(inner)
    # The middleware adding headers to every answer run around it.
    for outer in (
        "django.middleware.security.SecurityMiddleware",
        "cms.core.security.ContentSecurityPolicyMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
        "corsheaders.middleware.CorsMiddleware",
    ):
        assert order.index(outer) < cache


def test_a_hit_runs_no_query_and_carries_a_rendered_pages_headers(
    client, page, on_commit, django_assert_num_queries
):
    on_commit(lambda: publish(page))
    rendered = client.get("/aftercare/")
    assert rendered["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = client.get("/aftercare/")
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == rendered.content
    assert "<h1" in hit.content.decode() and "Aftercare" in hit.content.decode()
    headers = {k: v for k, v in rendered.headers.items() if k != "X-Page-Cache"}
    assert {k: v for k, v in hit.headers.items() if k != "X-Page-Cache"} == headers
    for name in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
    ):
        assert hit[name]


def test_head_is_answered_from_a_cached_get(client, page, on_commit):
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    head = client.head("/aftercare/")
    assert head.status_code == 200
    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""


def test_signed_in_editors_never_get_a_cached_page(admin_client, page, on_commit):
    on_commit(lambda: publish(page))
    anonymous = Client()
    anonymous.get("/aftercare/")
    assert anonymous.get("/aftercare/")["X-Page-Cache"] == "hit"
    editor = admin_client.get("/aftercare/")
    assert editor.status_code == 200
    assert "X-Page-Cache" not in editor
    # Wagtail's user bar ("Edit this page") is for signed-in editors only.
    assert "wagtail-userbar" in editor.content.decode()
    assert "wagtail-userbar" not in anonymous.get("/aftercare/").content.decode()


def test_a_bearer_header_or_a_messages_cookie_bypasses_the_cache(
    client, page, on_commit
):
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    assert "X-Page-Cache" not in client.get("/aftercare/", HTTP_AUTHORIZATION="x")
    client.cookies["messages"] = "pending"
    assert "X-Page-Cache" not in client.get("/aftercare/")


def test_an_unpublish_is_seen_on_the_very_next_request(client, page, on_commit):
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    on_commit(page.unpublish)
    assert client.get("/aftercare/").status_code == 404


def test_a_settings_change_is_seen_on_the_very_next_request(client, page, on_commit):
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"

    def rename():
        clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
        clinic.clinic_name = "Riverside Pain Clinic"
        clinic.save()

    on_commit(rename)
    fresh = client.get("/aftercare/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Riverside Pain Clinic" in fresh.content.decode()


def test_a_new_day_renders_afresh(client, page, on_commit, monkeypatch):
    """Review badges ("Review overdue") change at midnight without a publish."""
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(cachestore, "today", lambda: tomorrow)
    assert client.get("/aftercare/")["X-Page-Cache"] == "miss"


# With Redis: two levels.


@pytest.fixture
def redis_pages(settings, redis_url):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "cms.ops.cache.FailOpenRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "pages",
        },
    }
    settings.PAGE_CACHE_LOCAL_COPIES = 50
    cachestore.local_copies().clear()
    stats = redis.Redis.from_url(redis_url, socket_timeout=2)
    yield stats
    stats.close()
    cachestore.local_copies().clear()


def redis_calls(stats, command: str = "") -> int:
    """Commands Redis has answered (``INFO`` itself not counted)."""
    counts = stats.info("commandstats")
    if command:
        return counts.get(f"cmdstat_{command}", {}).get("calls", 0)
    return sum(
        entry["calls"] for name, entry in counts.items() if name != "cmdstat_info"
    )


def test_with_redis_a_hit_asks_redis_nothing(
    client, page, on_commit, redis_pages, django_assert_num_queries
):
    """The generation is kept in the process and Redis says when it changes."""
    on_commit(lambda: publish(page))
    assert client.get("/aftercare/")["X-Page-Cache"] == "miss"
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    before = redis_calls(redis_pages)
    with django_assert_num_queries(0):
        for _hit in range(5):
            hit = client.get("/aftercare/")
            assert hit["X-Page-Cache"] == "hit"
    assert "Aftercare" in hit.content.decode()
    assert redis_calls(redis_pages) == before


def test_with_redis_a_publish_here_is_seen_on_the_next_request(
    client, page, on_commit, redis_pages
):
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    page.title = "Aftercare: corrected dose"
    on_commit(lambda: page.save_revision().publish())
    fresh = client.get("/aftercare/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Aftercare: corrected dose" in fresh.content.decode()


def test_with_redis_a_hit_builds_no_redis_client(
    client, page, on_commit, redis_pages, monkeypatch
):
    """Django makes a ``redis.Redis`` per cache call unless told otherwise
    (``cms.ops.cache.ReusingRedisCacheClient``); building one cost as much
    as the ``GET`` itself."""
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    built = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    for _hit in range(5):
        assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    assert built == []


def test_with_redis_another_process_publishing_is_seen_at_once(
    client, page, on_commit, redis_pages, redis_url
):
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    page.title = "Aftercare: corrected dose"
    page.save_revision().publish()  # no commit hook: the purge comes from elsewhere
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"

    # Another process (the worker, another app server) replaces the generation
    # as cachestore.invalidate() does: written, then read back on its own
    # connection, which Redis answers only once it has told this process.
    elsewhere = FailOpenRedisCache(redis_url, {"KEY_PREFIX": "pages"})
    elsewhere.set(cachestore.GENERATION_KEY, "changed-elsewhere", timeout=None)
    assert elsewhere.get(cachestore.GENERATION_KEY) == "changed-elsewhere"
    fresh = client.get("/aftercare/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Aftercare: corrected dose" in fresh.content.decode()


def test_with_redis_a_copy_from_another_process_is_kept_locally(
    client, page, on_commit, redis_pages
):
    on_commit(lambda: publish(page))
    client.get("/aftercare/")
    cachestore.local_copies().clear()  # as in a second process
    before = redis_calls(redis_pages, "get")
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    assert redis_calls(redis_pages, "get") - before == 1  # the body
    before = redis_calls(redis_pages, "get")
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    assert redis_calls(redis_pages, "get") - before == 0
