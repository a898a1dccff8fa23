"""The publishing pipeline end to end: signed webhooks, retries, the page cache.

A real HTTP receiver listens on 127.0.0.1 and the real database queue is run
by an in-process worker; only the backoff delays are zero (test settings).
"""

import json
import logging
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import PageViewRestriction

from cms.core.models import ClinicSettings
from cms.core.tests.factories import ClinicianFactory
from cms.publishing import signing, tasks, webhooks
from cms.publishing.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cms.publishing.purge import AnonymousPageCacheMiddleware
from cms.publishing.tests.receiver import Receiver, run_worker
from home.tests.factories import StandardPageFactory

SECRET = "test-secret-for-signatures"
ALL_PAGE_EVENTS = ["page.published", "page.unpublished", "page.moved", "page.deleted"]
ALL_EVENTS = [*ALL_PAGE_EVENTS, "page.visibility_changed", "snippet.changed"]


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(autouse=True)
def database_queue(settings):
    """The persistent queue production uses, run by ``run_worker``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def endpoint(receiver, db):
    return WebhookEndpoint.objects.create(
        name="Frontend", url=receiver.url, secret=SECRET, events=ALL_PAGE_EVENTS
    )


@pytest.fixture
def page(home_page):
    return StandardPageFactory(parent=home_page, title="Aftercare", slug="aftercare")


def publish(page, title=None):
    if title:
        page.title = title
    revision = page.save_revision()
    revision.publish()
    return revision


def run_worker_until_attempts(count: int) -> None:
    """Run queued tasks one by one until the delivery has made ``count`` attempts."""
    for _ in range(50):
        if WebhookDelivery.objects.get().attempts >= count:
            return
        run_worker(max_tasks=1)
    raise AssertionError(f"the delivery never reached {count} attempts")


def signed_body(received) -> dict:
    headers = received.headers
    assert signing.verify(
        SECRET,
        received.body,
        headers[signing.SIGNATURE_HEADER],
        headers[signing.TIMESTAMP_HEADER],
    ), "signature does not verify"
    return json.loads(received.body)


def test_a_publish_gives_exactly_one_signed_delivery(
    page, endpoint, receiver, on_commit
):
    revision = on_commit(lambda: publish(page, title="Aftercare, updated"))
    run_worker()

    assert len(receiver.requests) == 1
    received = receiver.requests[0]
    body = signed_body(received)
    assert body["event"] == "page.published"
    assert body["page_id"] == page.pk
    assert body["type"] == "home.StandardPage"
    assert body["title"] == "Aftercare, updated"
    assert body["html_path"] == "/aftercare/"
    assert body["url"] == "http://localhost/aftercare/"
    assert body["api_detail_url"] == f"http://localhost/api/v3/pages/{page.pk}/"
    assert body["revision_id"] == revision.pk
    assert body["timestamp"]
    assert received.headers[signing.EVENT_HEADER] == "page.published"
    assert received.headers[signing.ID_HEADER] == str(body["delivery_id"])

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.response_code) == (1, 200)


def test_a_tampered_or_replayed_notice_does_not_verify(
    page, endpoint, receiver, on_commit
):
    on_commit(lambda: publish(page))
    run_worker()
    received = receiver.requests[0]
    signature = received.headers[signing.SIGNATURE_HEADER]
    timestamp = received.headers[signing.TIMESTAMP_HEADER]

    forged = received.body.replace(b"Aftercare", b"Aftercure")
    assert not signing.verify(SECRET, forged, signature, timestamp)
    assert not signing.verify("another-secret", received.body, signature, timestamp)
    an_hour_later = int(timestamp) + 3600
    assert not signing.verify(
        SECRET, received.body, signature, timestamp, now=an_hour_later
    )


def test_saving_a_draft_sends_nothing(page, endpoint, receiver, on_commit):
    page.title = "Aftercare (draft)"
    on_commit(page.save_revision)
    run_worker()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_unpublish_and_move_give_their_events(
    home_page, page, endpoint, receiver, on_commit
):
    new_parent = StandardPageFactory(parent=home_page, title="About", slug="about")
    on_commit(lambda: page.move(new_parent, pos="last-child"))
    on_commit(lambda: page.specific.refresh_from_db() or page.unpublish())
    run_worker()

    events = [signed_body(received) for received in receiver.requests]
    assert [event["event"] for event in events] == ["page.moved", "page.unpublished"]
    moved = events[0]
    assert moved["html_path"] == "/about/aftercare/"
    assert moved["old_html_path"] == "/aftercare/"
    assert events[1]["page_id"] == page.pk


def test_deleting_a_live_page_is_announced(page, endpoint, receiver, on_commit):
    page_id = page.pk
    on_commit(page.delete)
    run_worker()
    body = signed_body(receiver.requests[0])
    assert (body["event"], body["page_id"]) == ("page.deleted", page_id)
    assert body["html_path"] == "/aftercare/"


def test_an_endpoint_gets_only_its_events_and_page_types(
    page, endpoint, receiver, on_commit
):
    endpoint.events = ["page.unpublished"]
    endpoint.save()
    WebhookEndpoint.objects.create(
        name="Articles only",
        url=receiver.url,
        secret=SECRET,
        events=["page.published"],
        page_types=["articles.ArticlePage"],
    )
    on_commit(lambda: publish(page))
    run_worker()
    assert receiver.requests == []


def test_receiver_down_retries_with_backoff_then_redeliver_succeeds(
    page, endpoint, receiver, on_commit, caplog, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.stop()  # nothing listens on the endpoint's port now
    with caplog.at_level(logging.WARNING, logger="cms.publishing.webhooks"):
        on_commit(lambda: publish(page))
        run_worker(max_tasks=50)  # bounded; Wagtail's index tasks count too

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert delivery.response_code is None
    assert "refused" in delivery.last_error.lower()
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1
    assert "failed after 3 attempts" in failures[0].getMessage()

    receiver.start()  # same port again
    on_commit(lambda: tasks.redeliver(delivery))
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.last_error == ""
    assert len(receiver.requests) == 1
    assert signed_body(receiver.requests[0])["event"] == "page.published"


def test_a_receiver_back_before_the_retries_run_out_gets_the_event(
    page, endpoint, receiver, on_commit
):
    receiver.status = 503
    on_commit(lambda: publish(page))
    run_worker_until_attempts(1)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("pending", 503)
    assert "HTTP 503" in delivery.last_error

    receiver.status = 200
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 2
    assert len(receiver.requests) == 2  # the refused one, then the accepted one


def test_retry_delays_grow_exponentially_and_are_capped(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 5
    settings.WEBHOOK_RETRY_MAX_SECONDS = 60
    delays = [webhooks.retry_delay(n).total_seconds() for n in range(1, 7)]
    assert delays == [5, 10, 20, 40, 60, 60]


def test_events_wait_in_the_queue_until_a_worker_runs(
    page, endpoint, receiver, on_commit
):
    """No worker yet (or a crashed one): the event is stored, then delivered."""
    on_commit(lambda: publish(page))
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
    run_worker()
    assert len(receiver.requests) == 1


def test_a_delivery_orphaned_by_a_crashed_worker_is_sent_again(
    page, endpoint, receiver, on_commit
):
    from django_tasks_db.models import DBTaskResult

    on_commit(lambda: publish(page))
    # The worker claimed the task and died before finishing it.
    DBTaskResult.objects.update(status="RUNNING", started_at="2000-01-01T00:00Z")
    run_worker()
    assert receiver.requests == []

    assert on_commit(tasks.requeue_pending) == 1
    run_worker()
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_at_worker_start_a_delivery_the_last_worker_died_on_is_sent_at_once(
    page, endpoint, receiver, on_commit
):
    from django_tasks_db.models import DBTaskResult

    on_commit(lambda: publish(page))
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    # Another worker may still be busy with it: left alone by default.
    assert on_commit(tasks.requeue_pending) == 0
    out = StringIO()
    on_commit(lambda: call_command("send_pending_webhooks", stale_after=0, stdout=out))
    assert "Queued 1 pending webhook deliveries." in out.getvalue()
    run_worker()
    assert len(receiver.requests) == 1


def test_a_queued_delivery_is_not_queued_twice(page, endpoint, on_commit):
    on_commit(lambda: publish(page))
    assert on_commit(tasks.requeue_pending) == 0


@override_settings(PAGE_CACHE_SECONDS=600)
def test_an_anonymous_visitor_sees_a_publish_on_the_very_next_request(
    client, page, on_commit
):
    on_commit(lambda: publish(page, title="Aftercare"))
    first = client.get("/aftercare/")
    assert first["X-Page-Cache"] == "miss"
    again = client.get("/aftercare/")
    assert again["X-Page-Cache"] == "hit"

    on_commit(lambda: publish(page, title="Aftercare: corrected dose"))
    fresh = client.get("/aftercare/")
    assert "Aftercare: corrected dose" in fresh.content.decode()
    assert fresh["X-Page-Cache"] == "miss"


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_page_made_private_leaves_every_cached_page_at_once(
    client, home_page, page, on_commit
):
    page.show_in_menus = True
    on_commit(lambda: publish(page))
    client.get("/")
    home = client.get("/")
    assert home["X-Page-Cache"] == "hit"
    assert 'href="/aftercare/"' in home.content.decode()

    restriction = on_commit(
        lambda: PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )
    )
    response = client.get("/aftercare/")
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"]
    home = client.get("/")
    assert home["X-Page-Cache"] == "miss"
    assert 'href="/aftercare/"' not in home.content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"

    on_commit(restriction.delete)
    home = client.get("/")
    assert home["X-Page-Cache"] == "miss"
    assert 'href="/aftercare/"' in home.content.decode()


def test_a_page_made_private_or_public_again_is_announced(page, receiver, on_commit):
    WebhookEndpoint.objects.create(
        name="Frontend",
        url=receiver.url,
        secret=SECRET,
        events=["page.visibility_changed"],
    )
    on_commit(lambda: publish(page))
    restriction = on_commit(
        lambda: PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )
    )
    on_commit(restriction.delete)
    run_worker()

    bodies = [signed_body(received) for received in receiver.requests]
    assert [(b["event"], b["page_id"], b["public"]) for b in bodies] == [
        ("page.visibility_changed", page.pk, False),
        ("page.visibility_changed", page.pk, True),
    ]
    assert bodies[0]["html_path"] == "/aftercare/"


def test_deleting_a_private_page_does_not_announce_it_public_again(
    page, receiver, on_commit
):
    WebhookEndpoint.objects.create(
        name="Frontend", url=receiver.url, secret=SECRET, events=ALL_EVENTS
    )
    on_commit(lambda: publish(page))
    on_commit(
        lambda: PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )
    )
    on_commit(page.delete)
    run_worker()

    bodies = [signed_body(received) for received in receiver.requests]
    assert "page.deleted" in [body["event"] for body in bodies]
    # Only the restriction itself was announced: never "public again" on delete.
    changes = [b for b in bodies if b["event"] == "page.visibility_changed"]
    assert [body["public"] for body in changes] == [False]


@override_settings(PAGE_CACHE_SECONDS=600)
def test_signed_in_editors_and_visitors_with_a_session_bypass_the_cache(
    admin_client, page, on_commit
):
    on_commit(lambda: publish(page))
    assert "X-Page-Cache" not in admin_client.get("/aftercare/")
    client = Client()  # admin_client is the logged-in default client
    assert client.get("/aftercare/")["X-Page-Cache"] == "miss"
    assert client.get("/aftercare/")["X-Page-Cache"] == "hit"
    client.cookies["sessionid"] = "abc"
    assert "X-Page-Cache" not in client.get("/aftercare/")


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_page_with_a_form_is_never_cached():
    """Its CSRF token belongs to one visitor."""

    def form_view(request):
        return HttpResponse(f"<form>{get_token(request)}</form>")

    middleware = AnonymousPageCacheMiddleware(form_view)
    request = RequestFactory().get("/consultation/")
    request.user = AnonymousUser()
    assert "X-Page-Cache" not in middleware(request)
    assert "X-Page-Cache" not in middleware(request)


RECORDING_CDN = f"{__name__}.RecordingCDN"


class RecordingCDN(BaseBackend):
    """A CDN purge backend that records what it was asked to purge."""

    purged: list[str] = []

    def purge_batch(self, urls):
        RecordingCDN.purged.extend(urls)


@override_settings(
    WAGTAILFRONTENDCACHE={
        "cdn": {"BACKEND": "cms.publishing.tests.test_publishing.RecordingCDN"}
    }
)
def test_with_a_cdn_a_publish_purges_the_page_and_its_api_urls(page, on_commit):
    RecordingCDN.purged = []
    on_commit(lambda: publish(page))
    run_worker()
    assert set(RecordingCDN.purged) >= {
        "http://localhost/aftercare/",
        f"http://localhost/api/v3/pages/{page.pk}/",
        "http://localhost/api/v3/pages/",
        "http://localhost/api/v3/services/",
    }


@override_settings(
    WAGTAILFRONTENDCACHE={
        "cdn": {"BACKEND": "cms.publishing.tests.test_publishing.RecordingCDN"}
    }
)
def test_with_a_cdn_a_page_made_private_or_public_purges_the_site(
    home_page, page, on_commit
):
    child = StandardPageFactory(parent=page, title="Day one", slug="day-one")
    # A page elsewhere may name the private one (a service citing a study).
    other = StandardPageFactory(parent=home_page, title="Contact", slug="contact")
    for each in (page, child, other):
        on_commit(lambda each=each: publish(each))
    run_worker()
    expected = {
        "http://localhost/aftercare/",
        "http://localhost/aftercare/day-one/",
        "http://localhost/contact/",
        f"http://localhost/api/v3/pages/{child.pk}/",
        "http://localhost/api/v3/studies/",
    }

    RecordingCDN.purged = []
    restriction = on_commit(
        lambda: PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )
    )
    run_worker()
    assert set(RecordingCDN.purged) >= expected

    RecordingCDN.purged = []
    on_commit(restriction.delete)
    run_worker()
    assert set(RecordingCDN.purged) >= expected


def test_without_a_cdn_nothing_is_queued_for_it(page, on_commit):
    from django_tasks_db.models import DBTaskResult

    on_commit(lambda: publish(page))
    assert not DBTaskResult.objects.filter(task_path__contains="frontend_cache")


def test_a_snippet_or_settings_change_is_announced_without_its_content(
    home_page, receiver, on_commit
):
    WebhookEndpoint.objects.create(
        name="Frontend",
        url=receiver.url,
        secret=SECRET,
        events=["snippet.changed", "site.changed"],
        page_types=["articles.ArticlePage"],  # page filters do not hide these
    )
    clinician = on_commit(lambda: ClinicianFactory(name="Jane Smith"))
    site = home_page.get_site()
    on_commit(lambda: ClinicSettings.objects.create(site=site, clinic_name="X"))
    run_worker()

    bodies = [signed_body(received) for received in receiver.requests]
    # Settings are a change of the site (site.changed), never a snippet as well.
    assert [b["event"] for b in bodies] == ["snippet.changed", "site.changed"]
    assert (bodies[0]["type"], bodies[0]["object_id"], bodies[0]["action"]) == (
        "core.Clinician",
        clinician.pk,
        "saved",
    )
    assert (bodies[1]["site_id"], bodies[1]["reason"]) == (site.pk, "settings_saved")
    assert b"Jane Smith" not in receiver.requests[0].body
    assert b'"X"' not in receiver.requests[1].body


def test_an_endpoint_for_a_page_type_gets_that_type(page, receiver, on_commit):
    WebhookEndpoint.objects.create(
        name="Standard pages",
        url=receiver.url,
        secret=SECRET,
        events=["page.published"],
        page_types=["home.StandardPage"],
    )
    on_commit(lambda: publish(page))
    run_worker()
    assert signed_body(receiver.requests[0])["type"] == "home.StandardPage"


def test_a_receiver_that_hangs_times_out_and_is_retried(
    page, endpoint, receiver, on_commit, settings
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.0
    on_commit(lambda: publish(page))
    run_worker_until_attempts(1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "timed out" in delivery.last_error.lower()
