"""Health endpoints, request log, fail-open cache and media storage, in-process."""

import json
import logging
import re

import boto3
import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import RequestFactory
from moto import mock_aws

from cms.ops.cache import FailOpenRedisCache
from cms.ops.requestlog import (
    RedactRequest,
    RequestLineFormatter,
    RequestLogMiddleware,
    RequestRecord,
)
from cms.ops.storage import MediaStorage
from cms.ops.tests.topology import DEPLOY, ROOT, free_port, read_env_file


def test_liveness_answers_without_touching_anything(client):
    # No database mark: a single query would raise instead of answering.
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_names_each_part(client):
    response = client.get("/readyz/")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "queue": "ok"},
    }


@pytest.mark.django_db
def test_readiness_is_503_naming_redis_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/readyz/")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis"]
    assert "unreachable (ConnectionError)" in body["checks"]["redis"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readiness_reports_a_queue_the_worker_does_not_empty(client, settings):
    settings.HEALTH_QUEUE_MAX_DEPTH = 0
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["queue"]


def test_a_down_redis_is_an_empty_cache_and_says_so_once(caplog):
    port = free_port()
    cache = FailOpenRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"KEY_PREFIX": "pages", "OPTIONS": {"socket_connect_timeout": 0.2}},
    )
    with caplog.at_level(logging.WARNING, logger="cms.ops.cache"):
        assert cache.get("page", "fallback") == "fallback"
        cache.set("page", "html")
        assert cache.add("page", "html") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.incr("counter") is None
        assert cache.delete("page") is False
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        f"Redis cache server 127.0.0.1:{port} is unavailable (ConnectionError during "
        "get): serving without it, retrying every 2 s"
    ]
    # The password in a Redis URL never reaches the log.
    secret = FailOpenRedisCache(f"redis://:hunter2@127.0.0.1:{port}/0", {})
    assert "hunter2" not in secret._name


def test_the_request_log_has_method_path_status_and_duration_only(caplog):
    request = RequestFactory().post(
        "/consultation/?email=pat@example.org",
        {"your_name": "Pat"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="agent-x",
    )
    middleware = RequestLogMiddleware(lambda request: _response(302))
    with caplog.at_level(logging.INFO, logger="cms.requests"):
        middleware(request)
    (record,) = caplog.records
    assert (record.method, record.path, record.status) == (
        "POST",
        "/consultation/",
        302,
    )
    assert record.duration_ms >= 0
    text = json.dumps(record.__dict__, default=str)
    for private in ("pat@example.org", "203.0.113.9", "agent-x", "Pat"):
        assert private not in text
    line = json.loads(RequestLineFormatter().format(record))
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "method",
        "path",
        "status",
        "duration_ms",
        "page_cache",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", line["time"])
    assert line["time"] == logging.Formatter().formatTime(record)
    assert (line["logger"], line["level"], line["path"]) == (
        "cms.requests",
        "INFO",
        "/consultation/",
    )
    for private in ("pat@example.org", "203.0.113.9", "agent-x", "Pat"):
        assert private not in json.dumps(line)


@pytest.mark.parametrize(
    "path, page_cache",
    [
        ("/", "hit"),
        ('/a "quoted" \\ path/', ""),
        ("/séance/ümlaut/\u2028/", None),
        ("/tab\tand\nnewline/", "miss"),
    ],
)
def test_a_request_line_is_exactly_what_json_dumps_writes(path, page_cache):
    record = RequestRecord(
        "cms.requests",
        method="GET",
        path=path,
        status=200,
        duration_ms=0.1,
        page_cache=page_cache,
    )
    formatter = RequestLineFormatter()
    text = formatter.format(record)
    assert text == json.dumps(
        {
            "time": logging.Formatter().formatTime(record),
            "level": "INFO",
            "logger": "cms.requests",
            "message": "request",
            "method": "GET",
            "path": path,
            "status": 200,
            "duration_ms": 0.1,
            "page_cache": page_cache,
        }
    )
    assert json.loads(text)["path"] == path


def test_a_request_record_serves_any_formatter_a_stock_record_would():
    """Someone may point ``cms.requests`` at another formatter: every
    attribute the stock record has is there."""
    stock = logging.LogRecord(
        "cms.requests", logging.INFO, __file__, 1, "x", None, None
    )
    record = RequestRecord("cms.requests", method="GET", path="/", status=200)
    missing = {name for name in vars(stock) if not hasattr(record, name)}
    assert missing == set()
    every_field = " ".join(
        f"%({name})s" for name in vars(stock) if name not in ("args", "msg")
    )
    line = logging.Formatter(every_field + " %(asctime)s %(message)s").format(record)
    assert line.endswith(" request")
    assert abs(record.created - stock.created) < 5


def _response(status):
    return HttpResponse(status=status)


def test_django_error_records_keep_method_and_path_only():
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "x", (), None)
    record.request = RequestFactory().get("/search/?q=my+diagnosis")
    assert RedactRequest().filter(record)
    assert record.request == "GET /search/"


@pytest.fixture
def bucket(settings):
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="media")
        yield MediaStorage(
            bucket_name="media",
            region_name="us-east-1",
            access_key="k",
            secret_key="s",  # noqa: S106 - moto's fake credentials
            default_acl=None,
            querystring_auth=True,
        )


def grants(storage, name):
    acl = storage.bucket.Object(name).Acl()
    return {g["Grantee"].get("URI", "owner") for g in acl.grants}


def test_images_are_public_objects_with_plain_urls_and_documents_private_and_signed(
    bucket,
):
    image = bucket.save("original_images/scan.png", ContentFile(b"png"))
    rendition = bucket.save("images/scan.width-400.png", ContentFile(b"png"))
    document = bucket.save("documents/notes.pdf", ContentFile(b"pdf"))
    all_users = "http://acs.amazonaws.com/groups/global/AllUsers"
    assert all_users in grants(bucket, image)
    assert all_users in grants(bucket, rendition)
    assert all_users not in grants(bucket, document)
    assert "Signature" not in bucket.url(image)
    assert "Signature" not in bucket.url(rendition)
    assert "Signature=" in bucket.url(document)


def test_the_deployment_doc_names_every_deploy_file_and_variable():
    doc = (ROOT / "docs" / "deployment.md").read_text()
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            assert str(path.relative_to(ROOT)) in doc, path
    for name in read_env_file(DEPLOY / "clinic.env.example"):
        assert name in doc, name
