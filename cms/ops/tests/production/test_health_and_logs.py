"""Liveness, readiness and the JSON request log, on the running app servers."""

import json

import pytest
import requests

pytestmark = pytest.mark.production


def test_liveness_and_readiness_answer_on_every_app_server(lane):
    for url in lane.app_urls.values():
        live = requests.get(f"{url}/healthz/", timeout=10)
        assert live.status_code == 200
        assert live.json() == {"status": "ok"}
        ready = requests.get(f"{url}/readyz/", timeout=20)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {
            "database": "ok",
            "redis": "ok",
            "storage": "ok",
            "queue": "ok",
        }


def test_health_checks_are_never_cached_nor_rate_limited(lane):
    for _ in range(30):
        response = requests.get(f"{lane.varnish_url}/healthz/", timeout=10)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response.headers
        assert response.headers["X-Cache"] == "miss"
        assert "no-cache" in response.headers["Cache-Control"]


def request_lines(log: str) -> list[dict]:
    lines = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("logger") == "cms.requests":
            lines.append(record)
    return lines


def test_one_json_line_per_request_without_personal_data(lane):
    url = lane.app_urls["app_a"]
    response = requests.get(
        f"{url}/search/?q=pat.doe%40example.org",
        headers={"User-Agent": "lane-agent-7731"},
        timeout=15,
    )
    assert response.status_code == 200
    log = lane.log_of("app_a")
    lines = [r for r in request_lines(log) if r["path"] == "/search/"]
    assert lines, log[-2000:]
    record = lines[-1]
    assert record["method"] == "GET"
    assert record["status"] == 200
    assert isinstance(record["duration_ms"], float)
    assert record["level"] == "INFO"
    assert "time" in record
    # No query string, client address, user agent or user anywhere in the log.
    for private in ("pat.doe", "example.org", "lane-agent-7731", "lane-admin"):
        assert private not in log
    assert all("127.0.0.1" not in json.dumps(r) for r in request_lines(log))
