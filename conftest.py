"""Shared fixtures: a site whose root is a HomePage, an admin client, a browser.

Fixtures other apps' tests share live in plugin modules beside the code they
serve (``pytest_plugins`` below); a test module never imports another one.
"""

import os
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from wagtail.models import Page, Site

from cms.core import cachestore
from home.tests.factories import HomePageFactory

pytest_plugins = [
    "cms.core.tests.fixtures",
    "cms.clinical.tests.fixtures",
    "cms.ops.tests.fixtures",
]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with no requests counted against any rate limit.

    The counters live in a cache that outlives a test; without this, one test's
    form posts would use up the next test's allowance.
    """
    caches["limits"].clear()
    yield
    caches["limits"].clear()


@pytest.fixture(autouse=True)
def fresh_default_cache():
    """Every test starts with an empty default cache.

    Wagtail keeps renditions there by image id and filter; a test's database
    is rolled back without the signals that would forget them, so the next
    test's image with the same id would find the previous test's files (issue
    16 reads card renditions from that cache before asking the database).
    """
    caches["default"].clear()
    yield
    caches["default"].clear()


def empty_the_page_store() -> None:
    caches["pages"].clear()
    cachestore.local_copies().clear()


@pytest.fixture
def empty_page_store():
    """The shared page store and this process's copies, empty before and after:
    an answer (or a kept listing, outline or fragment) kept by one test must
    never be served in the next."""
    empty_the_page_store()
    yield
    empty_the_page_store()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """``on_commit(action)``: run ``action`` and then its on-commit callbacks
    (cache purge, webhooks, queued tasks) as a real commit would; the test's
    own transaction never commits."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def home_page(db):
    """A HomePage serving the default site, as the content loader sets it up."""
    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = HomePageFactory(parent=root, slug="home")
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
    return home


@pytest.fixture
def admin_client(client, django_user_model, db):
    user = django_user_model.objects.create_superuser(
        username="admin", email="admin@example.com", password="password"
    )
    client.force_login(user)
    client.user = user
    return client


# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse ORM calls made from the test while the browser is open.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page():
    """A tab in Debian's Chromium, headless, driven by Playwright.

    Function-scoped on purpose: Playwright's sync API keeps an event loop in the
    test thread, and Django's per-context database connections must not see it
    while pytest-django sets up or flushes the database. Request this fixture
    after the database fixtures so the browser starts last and stops first.
    """
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = chromium.new_page()
        # Generous, bounded waits: the suite shares two cores with other work.
        page.set_default_timeout(20_000)
        expect.set_options(timeout=20_000)
        yield page
        chromium.close()


@pytest.fixture
def clinic_site(transactional_db, django_db_serialized_rollback, live_server):
    """The clinic's own content, served by a live server on 127.0.0.1."""
    host, port = live_server.url.removeprefix("http://").split(":")
    call_command(
        "load_clinic_content",
        "--site-hostname",
        host,
        "--site-port",
        port,
        stdout=StringIO(),
    )
    return live_server


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests (``make test-fast`` skips them); run history last.

    A test that migrates the database back to an older release and forward
    again leaves content types that Django's serialized rollback (used by the
    live-server tests) cannot restore over, so those tests run after all others.
    """
    for item in items:
        if "browser_page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    items.sort(
        key=lambda item: item.get_closest_marker("migration_history") is not None
    )
