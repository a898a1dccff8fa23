"""An editor's journey through clinical review, in Debian's Chromium.

The editor writes a study summary, is told how to fix a malformed DOI, submits
the page for review and cannot publish it; a medical reviewer approves it; the
page is then live, on the site and in the API, with the reviewer and dates.
"""

import re

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from cms.core.review import add_months
from cms.core.tests.factories import ClinicianFactory
from cms.core.tests.journeys import (
    create_user,
    open_more_actions,
    sign_in,
    sign_out,
)
from studies.models import StudyIndexPage, StudySummaryPage

TITLE = "Example: ketamine infusions for neuropathic pain"


def submit_and_expect(page, button, url_pattern):
    """Click a form button and fail with the page's own messages if it stays put.

    A refused submission re-renders the form: naming its errors is what makes
    such a failure explainable from the CI log alone.
    """
    with page.expect_navigation():
        button.click()
    if not url_pattern.search(page.url):
        shown = page.locator(
            ".error-message, .messages, .help-critical"
        ).all_inner_texts()
        pytest.fail(f"Expected {url_pattern.pattern}, stayed on {page.url}: {shown}")


@pytest.fixture
def people(clinic_site, django_user_model):
    editor = create_user(django_user_model, "edna", "Editors")
    reviewer = create_user(django_user_model, "ana", "Medical reviewers")
    ClinicianFactory(name="Ana Reyes", credentials="MD", user=reviewer)
    return editor, reviewer


@pytest.fixture
def without_autosave(settings):
    """Turn off Wagtail 8's autosave for a scripted editor.

    Autosave posts the form 500 ms after an edit and, once the form is valid,
    creates the page and swaps the add form for the edit form. A script edits
    and clicks far faster than a person, so on a slow machine an autosave can
    land in the middle of "Submit to Clinical review" (the submit then meets a
    page that already has its slug). That race is Wagtail's timing, not our
    rules; autosave on clinical pages is covered by test_autosave.py.
    """
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


# One rerun stays while the CI-only failure of November 2026 is confirmed gone
# (two failures in a row still fail): see without_autosave and the slug wait.
@pytest.mark.flaky(reruns=1)
def test_editor_to_reviewer_to_live_page(
    clinic_site, people, without_autosave, browser_page
):
    # While Playwright runs, the test body's ORM calls get a database connection
    # of their own (another async context); close it, or PostgreSQL cannot drop
    # the test database at the end of the run.
    try:
        _journey(clinic_site, browser_page)
    finally:
        connections.close_all()


def _journey(clinic_site, browser_page):
    page, base = browser_page, clinic_site.url
    studies = StudyIndexPage.objects.get()

    # The editor writes a study summary and pastes a malformed DOI.
    sign_in(page, base, "edna")
    page.goto(f"{base}/admin/pages/add/studies/studysummarypage/{studies.pk}/")
    # Typed key by key, as a person would: Wagtail fills in the page's slug
    # from the title as it is typed, and submitting needs that slug.
    page.locator("#id_title").press_sequentially(TITLE)
    page.locator("#id_citation_title").fill(TITLE)
    expect(page.locator("#id_slug")).to_have_value(
        "example-ketamine-infusions-for-neuropathic-pain"
    )
    page.locator("#id_doi").fill("doi 10.1097 AAP")
    page.locator("#id_key_points-0-text").fill("Example key point.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    doi_error = page.locator("[data-field-wrapper]:has(#id_doi) .error-message")
    expect(doi_error).to_contain_text("is not a DOI. A DOI starts with 10.")
    assert not StudySummaryPage.objects.filter(title=TITLE).exists()

    # Fixed (a pasted doi.org link is fine), and submitted for clinical review.
    page.locator("#id_doi").fill("https://doi.org/10.1000/example.journey")
    open_more_actions(page)
    submit = page.get_by_role("button", name="Submit to Clinical review")
    submit_and_expect(page, submit, re.compile(r"/admin/pages/\d+/$"))
    submitted = f"Submitted to Clinical review: a medical reviewer will check “{TITLE}”"
    expect(page.locator(".messages")).to_contain_text(submitted)
    study = StudySummaryPage.objects.get(title=TITLE)
    assert study.doi == "10.1000/example.journey"
    assert not study.live

    # The editor has no way to publish it.
    page.goto(f"{base}/admin/pages/{study.pk}/edit/")
    expect(page.locator("#page-edit-form")).to_be_visible()
    expect(page.locator("button[name='action-publish']")).to_have_count(0)
    expect(page.get_by_text("Publish", exact=True)).to_have_count(0)
    sign_out(page)

    # The medical reviewer approves it from the editor.
    sign_in(page, base, "ana")
    page.goto(f"{base}/admin/pages/{study.pk}/edit/")
    open_more_actions(page)
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    # Approving opens a dialog (what is still missing, the FDA-wording check).
    dialog = page.locator(".modal")
    expect(dialog.get_by_label("I have checked the FDA wording")).to_be_visible()
    # Wait for the approval's response, not for a message already on screen.
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/edit/$"))
    expect(page.locator(".messages")).to_have_text(
        f"Approved and published: “{TITLE}” is live."
    )

    study = StudySummaryPage.objects.get(pk=study.pk)
    today = timezone.localdate()
    assert study.live
    assert study.last_reviewed == today

    # Visitors see the page, the reviewer and both dates.
    response = page.goto(base + study.url)
    assert response.status == 200
    review_line = page.locator(".review-line")
    expect(review_line).to_contain_text("Medically reviewed by Ana Reyes, MD")
    expect(review_line.locator("time").first).to_have_attribute(
        "datetime", today.isoformat()
    )
    due = add_months(today, 24)
    expect(review_line.locator("time").nth(1)).to_have_attribute(
        "datetime", due.isoformat()
    )

    # So does the API.
    data = page.request.get(f"{base}/api/v3/pages/{study.pk}/").json()
    assert data["last_reviewed"] == today.isoformat()
    assert data["next_review_due"] == due.isoformat()
    assert data["medical_review"]["reviewed_by"]["display_name"] == "Ana Reyes, MD"
    assert data["medical_review"]["status"] == "current"
    assert re.fullmatch(r".*/studies/.+/", data["meta"]["html_url"])
