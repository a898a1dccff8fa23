"""Headless preview across app servers: a token from one works on the other.

The editor signs in on app server A and opens a draft's admin preview in
"Frontend" mode (``FRONTEND_PREVIEW_URL`` comes from deploy/clinic.env.example);
the frontend's request for the draft reaches app server B. Drafts are kept in
PostgreSQL (``cms.core.PreviewDraft``), so this works with Redis stopped too.
"""

from __future__ import annotations

import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from cms.ops.tests.topology import (
    DEPLOY,
    Visitor,
    read_env_file,
    shell_json,
    wait_until,
)

pytestmark = pytest.mark.production


def get(url: str, **kwargs) -> requests.Response:
    return requests.get(url, timeout=15, allow_redirects=False, **kwargs)


@pytest.fixture(scope="module")
def editor(lane):
    visitor = Visitor(lane.app_urls["app_a"])
    visitor.log_in("lane-admin", lane.admin_password)
    return visitor


def page_with_a_draft(lane, live_title: str, draft_title: str) -> dict:
    """A published standard page with a newer, unpublished revision."""
    slug = "lane-preview-" + secrets.token_hex(3)
    body = json.dumps([{"type": "paragraph", "value": "<p>Preview</p>"}])
    return shell_json(
        lane.env,
        "import json\n"
        "from wagtail.models import Site\n"
        "from home.models import StandardPage\n"
        "home = Site.objects.get(is_default_site=True).root_page\n"
        f"page = StandardPage(title={live_title!r}, slug={slug!r}, live=False, "
        f"intro='Checked by the production lane.', body={body!r})\n"
        "home.add_child(instance=page)\n"
        "page.save_revision().publish()\n"
        f"page.title = {draft_title!r}\n"
        "draft = page.save_revision()\n"
        "print(json.dumps({'id': page.pk, 'revision': draft.pk}))\n",
    )


def frontend_preview(editor: Visitor, page: dict) -> dict:
    """The admin's preview of the draft in "Frontend" mode: the frontend's query."""
    response = editor.get(
        f"/admin/pages/{page['id']}/revisions/{page['revision']}/view/?mode=frontend"
    )
    assert response.status_code == 302, response.text[:800]
    location = urlsplit(response.headers["Location"])
    frontend = read_env_file(DEPLOY / "clinic.env.example")["FRONTEND_PREVIEW_URL"]
    assert f"{location.scheme}://{location.netloc}{location.path}" == frontend
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def test_a_preview_token_from_one_server_works_on_the_other(lane, editor):
    page = page_with_a_draft(lane, "Lane preview live", "Lane preview draft")
    query = frontend_preview(editor, page)
    assert query["page_id"] == str(page["id"])

    answer = get(lane.app_urls["app_b"] + "/api/v3/preview/", params=query)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.json()["title"] == "Lane preview draft"
    assert answer.headers["Cache-Control"] == "private, no-store"
    # The live page is unchanged, and a token for another page is refused.
    live = get(f"{lane.app_urls['app_b']}/api/v3/pages/{page['id']}/").json()
    assert live["title"] == "Lane preview live"
    other = get(
        lane.app_urls["app_b"] + "/api/v3/preview/",
        params={**query, "page_id": str(page["id"] + 1)},
    )
    assert other.status_code == 404


def test_a_preview_works_across_servers_with_redis_stopped(lane, editor):
    page = page_with_a_draft(lane, "Lane outage live", "Lane outage draft")
    lane.services["redis"].stop()
    try:
        query = frontend_preview(editor, page)
        for name in ("app_b", "app_a"):
            answer = get(lane.app_urls[name] + "/api/v3/preview/", params=query)
            assert answer.status_code == 200, (name, answer.text[:500])
            assert answer.json()["title"] == "Lane outage draft"
    finally:
        lane.start_redis()
    for url in lane.app_urls.values():
        wait_until(
            lambda url=url: get(url + "/readyz/").status_code == 200,
            what="readiness after Redis is back",
            timeout=30,
        )
