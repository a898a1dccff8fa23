"""When caches are purged: right after a change commits, and after re-indexing.

A fake CDN on 127.0.0.1 records the ``BAN`` requests the app sends (as
Varnish would receive them, deploy/varnish/default.vcl); the real database
queue is run by an in-process worker only where a test says so, to show what
happens before the worker gets to it.
"""

import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.core.models import Clinician
from cms.core.tests.factories import publish_reviewed
from cms.publishing.tests.receiver import run_worker
from home.tests.factories import ServicePageFactory, StandardPageFactory

CDN_QUEUE_TASK = "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task"
SEARCH_INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"


class FakeCDN:
    """Answers ``BAN`` with 200 and records (path, Host, X-Ban-Url) of each."""

    def __init__(self):
        self.bans: list[tuple[str, str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_BAN(self):  # noqa: N802 - http.server's naming
                fake.bans.append(
                    (self.path, self.headers["Host"], self.headers["X-Ban-Url"])
                )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def paths(self) -> set[str]:
        return {path for path, _host, _pattern in self.bans}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def cdn_settings(location: str) -> dict:
    return {
        "varnish": {
            "BACKEND": "cms.publishing.purge.VarnishBanBackend",
            "LOCATION": location,
            "TIMEOUT": 2,
        }
    }


@pytest.fixture(autouse=True)
def database_queue(settings):
    """The persistent queue production uses: nothing runs until a worker does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def cdn(settings):
    fake = FakeCDN()
    settings.WAGTAILFRONTENDCACHE = cdn_settings(fake.url)
    yield fake
    fake.stop()


def publish(page):
    page.save_revision().publish()


def test_a_publish_bans_its_urls_from_the_cdn_before_any_worker_runs(
    home_page, cdn, on_commit
):
    page = StandardPageFactory(parent=home_page, title="Aftercare", slug="aftercare")
    cdn.bans.clear()
    on_commit(lambda: publish(page))
    # Sent in this process, right after the commit: no worker has run. One
    # BAN of the whole site: menus and lists on other pages name the page too.
    assert cdn.bans == [("/", "localhost", "^/")]
    assert not DBTaskResult.objects.filter(task_path=CDN_QUEUE_TASK).exists()


def test_an_unpublish_bans_the_page_at_once(home_page, cdn, on_commit):
    page = StandardPageFactory(parent=home_page, title="Aftercare", slug="aftercare")
    on_commit(lambda: publish(page))
    cdn.bans.clear()
    on_commit(page.unpublish)
    assert cdn.bans == [("/", "localhost", "^/")]


def test_with_the_cdn_down_the_publish_succeeds_and_the_purge_is_queued(
    home_page, settings, on_commit, caplog
):
    down = FakeCDN()
    down.stop()  # nothing listens on its port any more
    settings.WAGTAILFRONTENDCACHE = cdn_settings(down.url)
    page = StandardPageFactory(parent=home_page, title="Aftercare", slug="aftercare")
    with caplog.at_level(logging.WARNING, logger="cms.publishing.purge"):
        on_commit(lambda: publish(page))
    page.refresh_from_db()
    assert page.live
    queued = DBTaskResult.objects.get(task_path=CDN_QUEUE_TASK)
    assert "http://localhost/aftercare/" in queued.args_kwargs["args"][0]
    assert "CDN purge failed, queued for the worker" in caplog.text

    # The worker sends it once the CDN is back.
    back = FakeCDN()
    try:
        settings.WAGTAILFRONTENDCACHE = cdn_settings(back.url)
        run_worker()
        assert back.bans == [("/", "localhost", "^/")]
    finally:
        back.stop()


def test_a_scheduled_publish_on_the_worker_bans_at_once(home_page, cdn, on_commit):
    page = StandardPageFactory(parent=home_page, title="Aftercare", slug="aftercare")
    page.live = False
    page.save()
    revision = page.save_revision(approved_go_live_at=timezone.now())
    page.go_live_at = timezone.now() - timedelta(minutes=1)
    page.save()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    cdn.bans.clear()
    on_commit(lambda: call_command("publish_scheduled"))
    page.refresh_from_db()
    assert page.live
    assert cdn.bans == [("/", "localhost", "^/")]


@override_settings(PAGE_CACHE_SECONDS=600)
def test_search_results_are_purged_after_the_index_is_updated_not_before(
    client, clinic, cdn, on_commit
):
    """The index is updated on the worker, after the publish has purged."""
    title = "Zephyrine infusion aftercare"
    page = on_commit(
        lambda: ServicePageFactory(
            parent=clinic["service"].get_parent(), title=title, slug="zephyrine"
        )
    )
    on_commit(lambda: publish_reviewed(page))
    assert DBTaskResult.objects.filter(
        task_path=SEARCH_INDEX_TASK, status="READY"
    ).exists()

    # Searched before the worker has indexed it: not found, and cached so.
    before = client.get("/search/", {"q": "Zephyrine"})
    assert before["X-Page-Cache"] == "miss"
    assert title not in before.content.decode()
    assert client.get("/search/", {"q": "Zephyrine"})["X-Page-Cache"] == "hit"

    cdn.bans.clear()
    on_commit(run_worker)

    after = client.get("/search/", {"q": "Zephyrine"})
    assert after["X-Page-Cache"] == "miss"
    assert title in after.content.decode()
    assert ("/", "localhost", "^/") in cdn.bans


def test_a_snippet_change_bans_the_site_at_once(home_page, cdn, on_commit):
    """Menus, footers and citations on every page may show a snippet."""
    cdn.bans.clear()
    on_commit(lambda: Clinician.objects.create(name="Dr. Example", credentials="MD"))
    assert cdn.bans == [("/", "localhost", "^/")]
