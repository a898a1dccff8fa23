"""The single-server setup: SQLite, no Redis, no object store, real processes.

A small team on the embedded database: the SQLite file runs in WAL mode with
immediate transactions and a busy timeout (cms/settings/base.py), so editors
publishing at the same moment as visitors send the consultation form, while
the worker works the queue, all succeed. And media without an object store:
images are served from MEDIA_ROOT by the site, documents never are.

The site runs as on a server: gunicorn with deploy/gunicorn.conf.py and the
production settings, plus ``manage.py run_worker``, against a SQLite file in a
temporary folder. SQLite only: the PostgreSQL lane skips this module.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from PIL import Image

from cms.ops.tests.topology import (
    PYTHON,
    ROOT,
    Visitor,
    bulk_action,
    free_port,
    gunicorn,
    manage,
    production_env,
    shell_json,
    wait_healthy,
    worker,
)

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="SQLite only: the embedded database's locking",
)

FORM = {
    "your_name": "Team Test",
    "phone_number": "801-555-0142",
    "email_address": "",
    "best_time_to_contact_you": "Morning",
    "consent": "on",
    "website": "",
}


@pytest.fixture(scope="module")
def single_server():
    tmp = Path(tempfile.mkdtemp(prefix="clinic-single."))
    port = free_port()
    password = os.urandom(12).hex()
    env = production_env(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "REDIS_URL": "",
            "AWS_STORAGE_BUCKET_NAME": "",
            "FRONTEND_CACHE_URL": "",
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(tmp / "static"),
            "PAGE_CACHE_DIR": str(tmp / "cache-pages"),
            "LIMITS_CACHE_DIR": str(tmp / "cache-limits"),
            "RATE_LIMIT_CONSULTATION": "1000/h",
            "LANE_ADMIN_PASSWORD": password,
        }
    )
    static = subprocess.Popen(  # noqa: S603 - our own fixed command
        [PYTHON, str(ROOT / "manage.py"), "collectstatic", "--noinput"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    manage(env, "migrate", "--noinput")
    assert static.wait(timeout=300) == 0
    manage(
        env,
        "load_clinic_content",
        "--site-hostname",
        "127.0.0.1",
        "--site-port",
        str(port),
    )
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "import os; from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_superuser('team-admin', "
        "'team@clinic.example', os.environ['LANE_ADMIN_PASSWORD'])",
    )
    logs = tmp / "logs"
    logs.mkdir()
    services = [gunicorn("app", port, env, logs), worker(env, logs)]
    try:
        for service in services:
            service.start()
        base_url = f"http://127.0.0.1:{port}"
        wait_healthy(base_url, timeout=90)
        yield {"url": base_url, "env": env, "password": password, "tmp": tmp}
    finally:
        for service in reversed(services):
            service.stop()
        log_text = "\n".join(
            path.read_text(errors="replace") for path in logs.glob("*.log")
        )
        subprocess.run(["rm", "-rf", str(tmp)], check=False)  # noqa: S603,S607
    # Not one "database is locked" anywhere, worker included.
    assert "database is locked" not in log_text


def drafts(env, count: int) -> list[int]:
    return shell_json(
        env,
        "import json\n"
        "from wagtail.models import Site\n"
        "from home.models import StandardPage\n"
        "home = Site.objects.get(is_default_site=True).root_page\n"
        "ids = []\n"
        f"for n in range({count}):\n"
        "    page = StandardPage(title=f'Team page {n}', slug=f'team-page-{n}', "
        "live=False, intro='Team.', "
        'body=\'[{"type": "paragraph", "value": "<p>Team.</p>"}]\')\n'
        "    home.add_child(instance=page)\n"
        "    page.save_revision()\n"
        "    ids.append(page.pk)\n"
        "print(json.dumps(ids))\n",
    )


def test_four_publishes_and_eight_form_posts_at_once_all_succeed(single_server):
    base, env = single_server["url"], single_server["env"]
    page_ids = drafts(env, 4)
    editors = []
    for _ in page_ids:
        editor = Visitor(base)
        editor.log_in("team-admin", single_server["password"])
        editors.append(editor)
    form_visitors = [Visitor(base) for _ in range(8)]
    # Each visitor has the form open (CSRF token in hand) before the rush.
    tokens = [v.csrf_token(v.get("/consultation/").text) for v in form_visitors]

    def publish(index: int) -> int:
        return bulk_action(editors[index], "publish", page_ids[index]).status_code

    def post(index: int) -> int:
        visitor = form_visitors[index]
        response = visitor.request(
            "POST",
            "/consultation/",
            data={"csrfmiddlewaretoken": tokens[index], **FORM},
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        publishes = [pool.submit(publish, i) for i in range(4)]
        posts = [pool.submit(post, i) for i in range(8)]
        publish_codes = [future.result(timeout=120) for future in publishes]
        post_codes = [future.result(timeout=120) for future in posts]

    assert publish_codes == [302] * 4
    assert post_codes == [302] * 8
    for n in range(4):
        page = requests.get(f"{base}/team-page-{n}/", timeout=15)
        assert page.status_code == 200
        assert f"Team page {n}" in page.text
    stored = shell_json(
        env,
        "import json\nfrom wagtail.contrib.forms.models import FormSubmission\n"
        "print(json.dumps(FormSubmission.objects.filter("
        "form_data__your_name='Team Test').count()))\n",
    )
    assert stored == 8
    journal = shell_json(
        env,
        "import json\nfrom django.db import connection\n"
        "cursor = connection.cursor()\n"
        "print(json.dumps(cursor.execute('PRAGMA journal_mode').fetchone()[0]))\n",
    )
    assert journal == "wal"


def test_images_are_served_from_media_root_and_documents_never(single_server):
    base, env = single_server["url"], single_server["env"]
    editor = Visitor(base)
    editor.log_in("team-admin", single_server["password"])
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 90, 40)).save(buffer, "PNG")
    content = buffer.getvalue()
    response = editor.post_form(
        "/admin/images/add/",
        {"title": "Team picture", "collection": "1"},
        files={"file": ("team-picture.png", content, "image/png")},
    )
    assert response.status_code == 302, response.text[:1500]
    image = shell_json(
        env,
        "import json\nfrom wagtail.images import get_image_model\n"
        "image = get_image_model().objects.get(title='Team picture')\n"
        "rendition = image.get_rendition('width-200')\n"
        "print(json.dumps({'original': image.file.url, 'rendition': rendition.url}))\n",
    )
    for url in image.values():
        assert url.startswith("/media/")
        served = requests.get(base + url, timeout=15)
        assert served.status_code == 200, url
        assert served.headers["Content-Type"].startswith("image/")
    # A document's file sits under MEDIA_ROOT/documents/: the site never serves
    # it from there, whatever its name; only Wagtail's /documents/ view does.
    documents = Path(env["MEDIA_ROOT"]) / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "private-notes.png").write_bytes(content)
    (documents / "private-notes.txt").write_text("private")
    for name in ("private-notes.png", "private-notes.txt"):
        assert (
            requests.get(f"{base}/media/documents/{name}", timeout=15).status_code
            == 404
        )
    sneaky = f"{base}/media/images/%2e%2e/documents/private-notes.png"
    refused = requests.get(sneaky, timeout=15)
    assert refused.status_code in (400, 404)
    assert refused.content != content
