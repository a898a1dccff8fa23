"""The page cache's WSGI front: cached pages answered before Django runs.

Driven through the real WSGI application (``PageCacheFront`` around Django's
``WSGIHandler``, as ``cms/wsgi.py`` builds it), with a counter in between
that says whether Django was reached at all.
"""

import datetime
import io
import logging

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone

from cms import wsgi
from cms.core import cachestore
from cms.publishing import front

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings, empty_page_store):
    settings.PAGE_CACHE_SECONDS = 600
    # Django closes "old" connections when a request starts and ends; inside
    # the test's transaction that would close it (its test client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


class CountingApp:
    """The WSGI app behind the front, counting the requests that reach it."""

    def __init__(self, application):
        self.application = application
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.application(environ, start_response)


@pytest.fixture
def django_app():
    return CountingApp(WSGIHandler())


@pytest.fixture
def application(django_app):
    return front.PageCacheFront(django_app)


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = dict(headers)
        self.body = body

    @property
    def code(self) -> int:
        return int(self.status.split()[0])


def call(application, path, *, method="GET", host="testserver", **extra):
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **extra,
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    result = application(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return Answer(seen["status"], seen["headers"], body)


def test_a_hit_never_reaches_django_and_is_the_rendered_answer(
    application, django_app, page, django_assert_num_queries
):
    rendered = call(application, "/aftercare/")
    assert rendered.code == 200
    assert rendered.headers["X-Page-Cache"] == "miss"
    assert django_app.calls == 1
    with django_assert_num_queries(0):
        hit = call(application, "/aftercare/")
    assert django_app.calls == 1
    assert hit.status == "200 OK"
    assert hit.body == rendered.body
    assert "<h1" in hit.body.decode() and "Aftercare" in hit.body.decode()
    assert hit.headers["X-Page-Cache"] == "hit"
    assert hit.headers["Content-Length"] == str(len(rendered.body))
    # Every header the middleware added on the way out is on the hit too.
    for name in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Content-Type",
    ):
        assert hit.headers[name] == rendered.headers[name]


def test_head_is_answered_without_a_body(application, django_app, page):
    get = call(application, "/aftercare/")
    head = call(application, "/aftercare/", method="HEAD")
    assert django_app.calls == 1
    assert head.code == 200
    assert head.body == b""
    assert head.headers["Content-Length"] == str(len(get.body))


def test_a_publish_is_seen_on_the_very_next_request(
    application, django_app, page, on_commit
):
    call(application, "/aftercare/")
    assert call(application, "/aftercare/").headers["X-Page-Cache"] == "hit"
    page.title = "Aftercare and recovery"
    on_commit(lambda: page.save_revision().publish())
    fresh = call(application, "/aftercare/")
    assert django_app.calls == 2
    assert "Aftercare and recovery" in fresh.body.decode()
    on_commit(page.unpublish)
    assert call(application, "/aftercare/").code == 404


def test_a_new_day_renders_afresh(application, django_app, page, monkeypatch):
    call(application, "/aftercare/")
    call(application, "/aftercare/")
    assert django_app.calls == 1
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(cachestore, "today", lambda: tomorrow)
    call(application, "/aftercare/")
    assert django_app.calls == 2


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=pending"},
        {"HTTP_AUTHORIZATION": "Bearer x"},
    ],
    ids=["session", "messages", "authorization"],
)
def test_a_visitor_who_may_be_signed_in_always_reaches_django(
    application, django_app, page, extra
):
    call(application, "/aftercare/")
    for _ in range(2):
        answer = call(application, "/aftercare/", **extra)
        assert answer.code == 200
        assert answer.headers.get("X-Page-Cache") != "hit"
    assert django_app.calls == 3


def test_a_host_django_refuses_is_never_answered_from_the_cache(
    application, django_app, page
):
    call(application, "/aftercare/")
    refused = call(application, "/aftercare/", host="evil.example")
    assert refused.code == 400
    assert django_app.calls == 2


def test_each_query_string_is_its_own_page(application, django_app, page):
    call(application, "/aftercare/")
    call(application, "/aftercare/?utm=1")
    call(application, "/aftercare/?utm=1")
    assert django_app.calls == 2


def test_with_the_page_cache_off_every_request_reaches_django(
    application, django_app, page, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    call(application, "/aftercare/")
    call(application, "/aftercare/")
    assert django_app.calls == 2


def test_a_store_that_is_down_means_render(
    application, django_app, page, monkeypatch, caplog
):
    def down(*args, **kwargs):
        raise ConnectionError("store down")

    monkeypatch.setattr(cachestore, "fetch", down)
    with caplog.at_level(logging.WARNING, logger="cms.publishing.front"):
        answer = call(application, "/aftercare/")
    assert answer.code == 200
    assert "Aftercare" in answer.body.decode()
    assert "Page cache unavailable" in caplog.text


def fake_app(status, headers):
    def application(environ, start_response):
        start_response(status, headers)
        return [b"<p>personal</p>"]

    return CountingApp(application)


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        ("200 OK", [("X-Page-Cache", "miss"), ("Set-Cookie", "a=b")]),
        ("404 Not Found", [("X-Page-Cache", "miss")]),
        ("200 OK", [("Content-Type", "text/html")]),  # Django did not keep it
    ],
    ids=["sets-a-cookie", "not-200", "not-judged-cacheable"],
)
def test_answers_the_page_cache_would_not_keep_are_not_kept(status, headers):
    inner = fake_app(status, headers)
    application = front.PageCacheFront(inner)
    call(application, "/anything/")
    call(application, "/anything/")
    assert inner.calls == 2


def test_hits_are_in_the_request_log(application, page, settings, caplog):
    settings.REQUEST_LOG = True
    call(application, "/aftercare/?q=private")
    with caplog.at_level(logging.INFO, logger="cms.requests"):
        call(application, "/aftercare/?q=private")
    (record,) = [r for r in caplog.records if r.name == "cms.requests"]
    assert (record.method, record.path, record.status) == ("GET", "/aftercare/", 200)
    assert record.page_cache == "hit"
    assert "private" not in record.getMessage() + str(record.__dict__)


def test_the_served_application_has_the_front():
    assert isinstance(wsgi.application, front.PageCacheFront)
