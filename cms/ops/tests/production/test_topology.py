"""The whole topology at work: publishes, media, and one part failing at a time.

Each test acts as people do, over HTTP on loopback: an editor signed in to
app server A, anonymous visitors through Varnish and straight at each app
server. Set-up the admin has no form for (a draft page, a private collection)
is made with ``manage.py shell`` against the lane's PostgreSQL. The tests run
in file order; the failure tests restart what they stopped, and the backup
test, which wipes everything, comes last.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import shutil
import subprocess
import time

import pytest
import requests
from PIL import Image

from cms.ops.tests.topology import (
    Visitor,
    bulk_action,
    shell_json,
    wait_healthy,
    wait_until,
)

pytestmark = pytest.mark.production

# Waits for pages made by ``manage.py shell`` (whose purge reaches Varnish
# from that process) to show through Varnish.
PURGE_DEADLINE = 30


def get(url: str, **kwargs) -> requests.Response:
    kwargs.setdefault("allow_redirects", False)
    return requests.get(url, timeout=kwargs.pop("timeout", 15), **kwargs)


def all_urls(lane) -> dict[str, str]:
    return {"varnish": lane.varnish_url, **lane.app_urls}


@pytest.fixture(scope="module")
def editor(lane):
    visitor = Visitor(lane.app_urls["app_a"])
    visitor.log_in("lane-admin", lane.admin_password)
    return visitor


@pytest.fixture(scope="module")
def collections(lane):
    return shell_json(
        lane.env,
        "import json\n"
        "from wagtail.models import Collection, CollectionViewRestriction\n"
        "root = Collection.get_first_root_node()\n"
        "private = root.add_child(name='Lane private papers')\n"
        "CollectionViewRestriction.objects.create(collection=private, "
        "restriction_type=CollectionViewRestriction.LOGIN)\n"
        "print(json.dumps({'root': root.pk, 'private': private.pk}))\n",
    )


def make_page(lane, title: str, slug: str, body: list, *, publish: bool) -> dict:
    """A standard page under the home page, as a draft or published."""
    return shell_json(
        lane.env,
        "import json\n"
        "from wagtail.models import Site\n"
        "from home.models import StandardPage\n"
        "home = Site.objects.get(is_default_site=True).root_page\n"
        f"page = StandardPage(title={title!r}, slug={slug!r}, live=False, "
        f"intro='Checked by the production lane.', body={json.dumps(body)!r})\n"
        "home.add_child(instance=page)\n"
        "revision = page.save_revision()\n"
        + ("revision.publish()\n" if publish else "")
        + "print(json.dumps({'id': page.pk, 'path': page.get_url_parts()[2]}))\n",
    )


def paragraph(text: str) -> list:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def shows(url: str, text: str) -> bool:
    response = get(url)
    return response.status_code == 200 and text in response.text


def gone(url: str) -> bool:
    return get(url).status_code == 404


def listed(url: str, title: str) -> bool:
    response = get(url)
    assert response.status_code == 200, (url, response.status_code)
    return title in [item["title"] for item in response.json()["items"]]


def test_a_publish_on_one_server_shows_everywhere_and_an_unpublish_removes_it(
    lane, editor
):
    title = f"Lane publish {secrets.token_hex(3)}"
    page = make_page(
        lane, title, title.lower().replace(" ", "-"), paragraph("Hi"), publish=False
    )
    html_path, api_path = page["path"], f"/api/v3/pages/{page['id']}/"
    # A filtered list: Varnish keys it with its query string, which a purge of
    # /api/v3/pages/ alone would leave cached.
    lists = [
        "/api/v3/pages/?limit=100&order=-id",
        "/api/v3/pages/?type=home.StandardPage&limit=100",
    ]
    # A draft is nowhere; Varnish now holds these 404s and lists (each asked
    # twice, so the second answer comes from its cache), which the purge must
    # clear.
    for base in all_urls(lane).values():
        for _ in range(2):
            assert gone(base + html_path)
            assert gone(base + api_path)
            for path in lists:
                assert not listed(base + path, title)
    assert get(lane.varnish_url + html_path).headers["X-Cache"] == "hit"
    assert get(lane.varnish_url + lists[1]).headers["X-Cache"] == "hit"

    bulk_action(editor, "publish", page["id"])

    # The very next request, anywhere: the app server that published sent
    # Varnish its BANs before it answered the editor (no worker involved).
    for name, base in all_urls(lane).items():
        assert shows(base + html_path, title), name
        assert get(base + api_path).json()["title"] == title, name
        for path in lists:
            assert listed(base + path, title), (name, path)
    # Varnish now serves it from its cache, fresh. The worker purges once more
    # when the search index task for this publish finishes (so search results
    # are never older than the index); that late BAN may cost one more miss.
    for _ in range(5):
        again = get(lane.varnish_url + html_path)
        assert title in again.text
        if again.headers["X-Cache"] == "hit":
            break
        time.sleep(0.5)
    assert again.headers["X-Cache"] == "hit"

    bulk_action(editor, "unpublish", page["id"])

    for name, base in all_urls(lane).items():
        assert gone(base + html_path), name
        assert gone(base + api_path), name
        for path in lists:
            assert not listed(base + path, title), (name, path)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def bucket_keys(lane) -> set[str]:
    listing = lane.s3().list_objects_v2(Bucket="clinic-media")
    return {item["Key"] for item in listing.get("Contents", [])}


def image_urls(lane, html: str) -> list[str]:
    prefix = re.escape(f"{lane.s3_url}/clinic-media/images/")
    return sorted(set(re.findall(prefix + r"[^\"'\s,]+", html)))


def test_search_on_postgresql_ranks_a_title_match_above_a_passing_mention(lane):
    """The lane searches with PostgreSQL's full-text search, ranked by relevance.

    Both pages are indexed by the worker after their publish; the one named
    after the word must come first (v3 orders search results by rank).
    """
    backend = shell_json(
        lane.env,
        "import json\n"
        "from wagtail.search.backends import get_search_backend\n"
        "print(json.dumps(type(get_search_backend()).__name__))\n",
    )
    assert backend == "PostgresSearchBackend"
    word = f"zephyr{secrets.token_hex(3)}"
    mention = make_page(
        lane,
        "Aftercare notes",
        f"notes-{word}",
        paragraph(f"Ask about {word} at your next visit."),
        publish=True,
    )
    titled = make_page(
        lane,
        f"{word.capitalize()} explained",
        f"explained-{word}",
        paragraph(f"What {word} is, and how {word} helps."),
        publish=True,
    )

    def ranked_ids():
        response = get(f"{lane.varnish_url}/api/v3/pages/?search={word}")
        assert response.status_code == 200, response.status_code
        ids = [item["id"] for item in response.json()["items"]]
        return ids if len(ids) == 2 else None

    ids = wait_until(ranked_ids, what="both pages in the search index", timeout=45)
    assert ids == [titled["id"], mention["id"]]


def test_an_uploaded_image_is_stored_in_the_bucket_and_served_on_both_servers(
    lane, editor, collections
):
    title = f"Lane picture {secrets.token_hex(3)}"
    response = editor.post_form(
        "/admin/images/add/",
        {"title": title, "collection": str(collections["root"])},
        files={"file": ("lane-picture.png", png_bytes(), "image/png")},
    )
    assert response.status_code == 302, response.text[:1500]
    image = shell_json(
        lane.env,
        "import json\nfrom wagtail.images import get_image_model\n"
        f"image = get_image_model().objects.get(title={title!r})\n"
        "print(json.dumps({'id': image.pk, 'file': image.file.name}))\n",
    )
    assert image["file"] in bucket_keys(lane)
    original = get(f"{lane.s3_url}/clinic-media/{image['file']}")
    assert original.status_code == 200  # images are public objects

    body = [
        {
            "type": "image",
            "value": {
                "image": {
                    "image": image["id"],
                    "alt_text": "A blue test card",
                    "decorative": False,
                },
                "caption": "Lane caption",
            },
        }
    ]
    page = make_page(
        lane, f"{title} page", f"lane-picture-{image['id']}", body, publish=True
    )
    html_b = get(lane.app_urls["app_b"] + page["path"])
    assert html_b.status_code == 200
    urls = image_urls(lane, html_b.text)
    assert urls, html_b.text[:3000]
    for url in urls:
        rendition = get(url)
        assert rendition.status_code == 200, url
        assert rendition.headers["Content-Type"].startswith("image/")
        assert url.removeprefix(f"{lane.s3_url}/clinic-media/") in bucket_keys(lane)
    # The public CSP lets browsers load images from the bucket.
    assert lane.s3_url in html_b.headers["Content-Security-Policy"]
    # The other server and Varnish show the same pictures.
    html_a = get(lane.app_urls["app_a"] + page["path"])
    assert image_urls(lane, html_a.text) == urls
    wait_until(
        lambda: image_urls(lane, get(lane.varnish_url + page["path"]).text) == urls,
        what="the picture page through Varnish",
        timeout=PURGE_DEADLINE,
    )


def test_a_private_collection_document_is_never_served_to_an_anonymous_visitor(
    lane, editor, collections
):
    secret_text = f"lane private contents {secrets.token_hex(8)}"
    title = f"Lane private {secrets.token_hex(3)}"
    response = editor.post_form(
        "/admin/documents/add/",
        {"title": title, "collection": str(collections["private"])},
        files={"file": ("intake-notes.txt", secret_text.encode(), "text/plain")},
    )
    assert response.status_code == 302, response.text[:1500]
    document = shell_json(
        lane.env,
        "import json\nfrom wagtail.documents import get_document_model\n"
        f"doc = get_document_model().objects.get(title={title!r})\n"
        "print(json.dumps({'file': doc.file.name, 'url': doc.url}))\n",
    )
    assert document["file"] in bucket_keys(lane)
    assert document["url"].startswith("/documents/")

    def refused(response) -> bool:
        assert secret_text not in response.text
        if response.status_code == 302:
            return "/login/" in response.headers["Location"]
        return response.status_code in (401, 403, 404)

    for name, base in all_urls(lane).items():
        assert refused(get(base + document["url"])), name
    # The object itself is private: its plain URL is refused by the store.
    direct = get(f"{lane.s3_url}/clinic-media/{document['file']}")
    assert direct.status_code == 403
    assert secret_text not in direct.text
    # Signed in, the editor gets it, on a server and through Varnish; the copy
    # Varnish passed to her is not kept for the next anonymous visitor.
    assert editor.get(document["url"]).text == secret_text
    through_varnish = Visitor(lane.varnish_url)
    through_varnish.cookies = dict(editor.cookies)
    assert through_varnish.get(document["url"]).text == secret_text
    assert refused(get(lane.varnish_url + document["url"]))


PUBLIC_PATHS = ["/", "/consultation/", "/api/v3/pages/", "/search/?q=ketamine"]


def answers_everywhere(lane, tag: str) -> None:
    """Every public path answers 200 from both servers and through Varnish.

    Through Varnish a unique query string makes it ask an app server rather
    than answer from its cache; a cookie-less request straight to an app
    server goes through the page cache.
    """
    for name, base in all_urls(lane).items():
        for path in PUBLIC_PATHS:
            joiner = "&" if "?" in path else "?"
            url = base + path + (f"{joiner}lane={tag}" if name == "varnish" else "")
            response = get(url)
            assert response.status_code == 200, (name, path, response.text[:500])


def consultation_post(base_url: str) -> requests.Response:
    visitor = Visitor(base_url)
    return visitor.post_form(
        "/consultation/",
        {
            "your_name": "Lane Visitor",
            "phone_number": "801-555-0100",
            "email_address": "",
            "best_time_to_contact_you": "Morning",
            "consent": "on",
            "website": "",
        },
    )


def test_with_redis_down_the_site_answers_and_recovers_by_itself(lane):
    answers_everywhere(lane, "before")
    lane.services["redis"].stop()
    try:
        answers_everywhere(lane, "redis-down")
        # The consultation form (rate-limited in Redis) still takes a request.
        assert consultation_post(lane.app_urls["app_a"]).status_code == 302
        # Sessions are in the database: an editor can still sign in.
        Visitor(lane.app_urls["app_b"]).log_in("lane-admin", lane.admin_password)
        ready = get(lane.app_urls["app_a"] + "/readyz/")
        assert ready.status_code == 503
        assert ready.json()["failing"] == ["redis"]
        assert get(lane.app_urls["app_a"] + "/healthz/").status_code == 200
        assert "is unavailable" in lane.log_of("app_a")
    finally:
        lane.start_redis()
    for url in lane.app_urls.values():
        wait_until(
            lambda url=url: get(url + "/readyz/").status_code == 200,
            what="readiness after Redis is back",
            timeout=30,
        )
    answers_everywhere(lane, "redis-back")
    # The page cache works again: a second anonymous view is a hit.
    home = lane.app_urls["app_a"] + "/"
    wait_until(
        lambda: get(home).headers.get("X-Page-Cache") == "hit",
        what="a page-cache hit after Redis is back",
        timeout=30,
        interval=0.5,
    )
    assert "is reachable again" in lane.log_of("app_a")


def test_with_one_app_server_down_varnish_serves_every_page_from_the_other(lane):
    lane.services["app_b"].stop()
    try:
        # Straight away (before the probes notice) and after: nothing fails.
        for round_number in range(3):
            for path in PUBLIC_PATHS:
                visitor = Visitor(lane.varnish_url)
                # A session cookie makes Varnish pass the request to a server.
                visitor.cookies = {"sessionid": "none"}
                response = visitor.get(path)
                assert response.status_code == 200, (round_number, path)
                assert get(lane.varnish_url + path).status_code == 200
            time.sleep(1)
    finally:
        lane.start_app("app_b")
    wait_healthy(lane.varnish_url)


def titles(lane, base_url: str) -> list[str]:
    listing = get(f"{base_url}/api/v3/pages/?limit=100&order=id").json()
    return [item["title"] for item in listing["items"]]


def test_backup_then_wipe_then_restore_brings_back_pages_and_images(lane, tmp_path):
    app_a = lane.app_urls["app_a"]
    before = titles(lane, app_a)
    assert len(before) > 5
    picture = shell_json(
        lane.env,
        "import json\nfrom home.models import StandardPage\n"
        "page = StandardPage.objects.live().filter(slug__startswith='lane-picture')"
        ".first()\nprint(json.dumps({'path': page.get_url_parts()[2]}))\n",
    )
    images = image_urls(lane, get(app_a + picture["path"]).text)
    assert images

    # Back up: the database with pg_dump, the media by copying the bucket.
    dump = tmp_path / "clinic.dump"
    subprocess.run(  # noqa: S603 - PostgreSQL's own tool
        [str(lane.pg_bin / "pg_dump"), "-Fc", "-f", str(dump), lane.database_url],
        check=True,
        timeout=120,
    )
    s3 = lane.s3()
    objects = {}
    for key in bucket_keys(lane):
        stored = s3.get_object(Bucket="clinic-media", Key=key)
        objects[key] = (stored["Body"].read(), stored["ContentType"])

    # Wipe: every table and every object.
    subprocess.run(  # noqa: S603 - PostgreSQL's own tool
        [
            str(lane.pg_bin / "psql"),
            "-q",
            "-c",
            "SET client_min_messages = warning; "
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
            lane.database_url,
        ],
        check=True,
        timeout=60,
    )
    for key in objects:
        s3.delete_object(Bucket="clinic-media", Key=key)
    assert bucket_keys(lane) == set()
    assert get(images[0]).status_code != 200

    # Restore, as docs/deployment.md says: pg_restore, the bucket copied back
    # (images public again), the caches emptied.
    subprocess.run(  # noqa: S603 - PostgreSQL's own tool
        [
            str(lane.pg_bin / "pg_restore"),
            "--no-owner",
            "--clean",
            "--if-exists",
            "-d",
            lane.database_url,
            str(dump),
        ],
        check=True,
        timeout=180,
    )
    for key, (body, content_type) in objects.items():
        public = key.startswith(("original_images/", "images/"))
        extra = {"ACL": "public-read"} if public else {}
        s3.put_object(
            Bucket="clinic-media", Key=key, Body=body, ContentType=content_type, **extra
        )
    lane.redis().flushdb()
    subprocess.run(  # noqa: S603 - Varnish's own tool
        [
            shutil.which("varnishadm") or "/usr/bin/varnishadm",
            "-n",
            str(lane.varnish_workdir),
            "ban",
            "req.url",
            "~",
            ".",
        ],
        check=True,
        timeout=30,
    )

    assert titles(lane, app_a) == before
    assert titles(lane, lane.app_urls["app_b"]) == before
    assert titles(lane, lane.varnish_url) == before
    restored = get(lane.app_urls["app_b"] + picture["path"])
    assert image_urls(lane, restored.text) == images
    for url in images:
        response = get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("image/")
