"""The TypeScript contract: what a frontend team generates from the API must work.

Against a live server with the clinic's content (as ``make run`` loads it), this
generates TypeScript types from the served ``/api/v3/openapi.json`` with
openapi-typescript, type-checks contract/consumer.ts with ``tsc --strict`` and
``skipLibCheck`` off, runs it with node (openapi-fetch calls every anonymous
operation) and expects every answer to match the document (Ajv, JSON Schema
2020-12). The npm packages are pinned in contract/package-lock.json and
installed by ``make test`` (``npm ci``). SQLite lane only (marker ``contract``).
"""

import json
import os
import shutil
import subprocess
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from articles.models import ArticleIndexPage
from articles.tests.factories import ArticlePageFactory
from cms.core import preview
from cms.core.loading import trusted_setup
from studies.models import StudySummaryPage

pytestmark = pytest.mark.contract

CONTRACT = Path(settings.BASE_DIR) / "contract"
MODULES = CONTRACT / "node_modules"
GENERATOR = MODULES / "openapi-typescript" / "bin" / "cli.js"
TSC = MODULES / "typescript" / "bin" / "tsc"
NEEDED = [
    GENERATOR,
    TSC,
    MODULES / "openapi-fetch",
    MODULES / "ajv",
    MODULES / "ajv-formats",
]
# Generous for two shared cores, but bounded: a hung tool fails the test.
GENERATE_SECONDS = 120
COMPILE_SECONDS = 240
RUN_SECONDS = 240
# Operations a frontend needs that the consumer must always be seen covering,
# so a document in which nothing looked anonymous could not pass.
CORE_OPERATIONS = {
    "services_list",
    "services_detail",
    "services_find",
    "articles_list",
    "articles_detail",
    "articles_find",
    "studies_list",
    "studies_detail",
    "studies_find",
    "pages_list",
    "pages_detail",
    "pages_find",
    "preview_detail",
}
DRAFT_TITLE = "An unsaved title, for the contract's preview"


def node_toolchain() -> str:
    """Node's path; a missing toolchain fails on CI and skips locally."""
    node = shutil.which("node")
    missing = [str(path.relative_to(CONTRACT)) for path in NEEDED if not path.exists()]
    if node is None:
        missing.insert(0, "node (Debian's nodejs, v20+)")
    if missing:
        reason = (
            "the TypeScript contract toolchain is not installed (missing: "
            + ", ".join(missing)
            + "); `make test-sqlite` installs it, or run `cd contract && npm ci`"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return node


def run(command: list, *, timeout: int, env: dict | None = None):
    # The commands are the pinned tools in contract/node_modules, run by node.
    return subprocess.run(  # noqa: S603
        [str(part) for part in command],
        cwd=CONTRACT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        check=False,
    )


def add_what_the_clinic_lacks(site) -> dict:
    """An article, an image, a document and a redirect: ``make run`` has none yet,
    and their detail and find operations need one to call. Returns the preview's
    query: an unsaved title on a study, as the admin's "Frontend" preview stores it.
    """
    buffer = BytesIO()
    PILImage.new("RGB", (1200, 800), "#336699").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Treatment room",
        description="A calm treatment room with a reclining chair",
        file=ImageFile(buffer, name="treatment-room.png"),
    )
    get_document_model().objects.create(
        title="Consent form",
        file=ContentFile(b"%PDF-1.4\n%contract test\n", name="consent-form.pdf"),
    )
    consultation = Page.objects.get(slug="consultation")
    Redirect.objects.create(
        old_path=Redirect.normalise_path("/book-a-consultation"),
        site=site,
        redirect_page=consultation,
    )
    with trusted_setup("TypeScript contract test content"):
        article = ArticlePageFactory(
            parent=ArticleIndexPage.objects.get(),
            title="Sleep and pain",
            slug="sleep-and-pain",
            summary="Why pain and sleep affect each other.",
            listing_image=image,
            body=[
                ("heading", {"text": "Why sleep matters", "level": "h2"}),
                ("paragraph", "<p>Pain and sleep affect each other.</p>"),
                ("image", {"image": image, "caption": "Our treatment room"}),
            ],
        )
        article.tags.add("sleep")
        article.save_revision().publish()
    study = StudySummaryPage.objects.live().first()
    study.title = DRAFT_TITLE
    return {
        "PREVIEW_PAGE_ID": str(study.pk),
        "PREVIEW_TOKEN": preview.store_draft(study),
        "PREVIEW_TITLE": DRAFT_TITLE,
    }


def test_a_generated_typescript_client_type_checks_and_every_answer_matches(
    clinic_site, tmp_path
):
    node = node_toolchain()
    preview_env = add_what_the_clinic_lacks(Site.objects.get(is_default_site=True))
    document_file = tmp_path / "openapi.json"
    with urllib.request.urlopen(  # noqa: S310 (the live server on 127.0.0.1)
        f"{clinic_site.url}/api/v3/openapi.json", timeout=30
    ) as response:
        document_file.write_bytes(response.read())

    generated = CONTRACT / "generated" / "api.d.ts"
    generated.parent.mkdir(exist_ok=True)
    generate = run(
        [node, GENERATOR, document_file, "--output", generated],
        timeout=GENERATE_SECONDS,
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr
    assert "export interface paths" in generated.read_text(encoding="utf-8")

    # Stale JavaScript from an earlier run must not stand in for this one's.
    shutil.rmtree(CONTRACT / "build", ignore_errors=True)
    # The flags repeat tsconfig.json's on purpose: the bar, whatever
    # the file says. JavaScript is written even with type errors, so one run
    # reports both the type errors and the answers that do not match.
    compile_ = run(
        [node, TSC, "-p", "tsconfig.json", "--strict", "--skipLibCheck", "false"]
        + ["--noEmit", "false", "--pretty", "false"],
        timeout=COMPILE_SECONDS,
    )
    consumer = CONTRACT / "build" / "consumer.js"
    assert consumer.exists(), compile_.stdout + compile_.stderr
    result = run(
        [node, consumer, "--base-url", clinic_site.url, "--document", document_file],
        timeout=RUN_SECONDS,
        env=preview_env,
    )
    try:
        summary = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"the consumer printed no summary:\n{result.stdout}{result.stderr}")

    problems = []
    if compile_.returncode != 0:
        problems.append("tsc --strict (skipLibCheck off):\n" + compile_.stdout.strip())
    if summary["uncovered"]:
        problems.append("anonymous operations the consumer does not call: ")
        problems[-1] += ", ".join(summary["uncovered"])
    problems += summary["failures"]
    assert not problems, "\n\n".join(problems)

    assert result.returncode == 0, result.stderr
    assert set(summary["anonymous_operations"]) >= CORE_OPERATIONS
    assert set(summary["covered"]) == set(summary["anonymous_operations"])
    assert summary["responses_validated"] >= len(summary["anonymous_operations"])
    assert summary["seen"]["preview"] == [
        f"studies.StudySummaryPage draft “{DRAFT_TITLE}”"
    ]
    assert any("Sleep and pain (sleep)" in line for line in summary["seen"]["articles"])
