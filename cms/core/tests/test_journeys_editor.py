"""Editors' forms in Debian's Chromium, asserting what each person sees.

An editor meets the medical-review record as plain text (only reviewers set
it), follows a "Still missing" link to its field, and after a failed save
lands on the tab with the error, told in editors' words what to do; a
publisher who deletes a cited study is told which pages lost the citation.
"""

import pytest
from django.db import connections
from playwright.sync_api import expect

from cms.core.tests.journeys import create_user, sign_in
from home.models import ServicePage, ServiceRelatedStudy


@pytest.fixture
def without_autosave(settings):
    """No autosave: a scripted editor's clear-then-save must not race a post."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def closes_connections():
    # Playwright runs the ORM calls of the test body in another async context;
    # close those connections, or PostgreSQL cannot drop the test database.
    yield
    connections.close_all()


def test_an_editor_is_led_to_what_they_can_fix(
    clinic_site, django_user_model, without_autosave, closes_connections, browser_page
):
    create_user(django_user_model, "edna", "Editors")
    service = ServicePage.objects.live().order_by("path").first()
    page, base = browser_page, clinic_site.url
    sign_in(page, base, "edna")
    page.goto(f"{base}/admin/pages/{service.pk}/edit/")

    # The review record is shown as text, with who fills it in; no inputs.
    review = page.locator("#page-edit-form")
    expect(
        review.get_by_text("Filled in when a medical reviewer approves")
    ).to_have_count(3)
    expect(page.locator("[name=last_reviewed]")).to_have_count(0)
    expect(page.locator("[name=reviewed_by]")).to_have_count(0)

    # "Still missing" asks the editor only for what an editor can enter.
    missing = page.locator("[data-missing-information]")
    expect(missing).to_contain_text(
        "Nothing here was invented when the page was imported"
    )
    expect(missing).not_to_contain_text("Medical reviewer:")
    link = missing.locator("a[data-missing-field]").first
    field = link.get_attribute("data-missing-field")
    link.click()
    # The cursor is in that very field (a rich-text editor or an input).
    page.wait_for_function(
        """(name) => {
            const wrapper = document.activeElement.closest("[data-field-wrapper]");
            const field = wrapper && wrapper.querySelector("[name]");
            return field && field.name === name;
        }""",
        arg=field,
    )

    # A failed save: the web address emptied on the Promote tab, saved from
    # the Content tab. The editor lands on Promote, in the field, told why.
    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_slug").fill("")
    page.get_by_role("tab", name="Content").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("tab", name="Promote")).to_have_attribute(
        "aria-selected", "true"
    )
    error = page.locator("[data-field-wrapper]:has(#id_slug) .error-message")
    expect(error).to_be_visible()
    expect(error).to_have_text(
        "The page's web address is missing. Type a short address for it, e.g. "
        "“nerve-blocks”: lower-case letters, numbers and hyphens."
    )
    expect(page.locator("#id_slug")).to_be_focused()
    expect(page.get_by_text("This field is required")).to_have_count(0)


def test_a_publisher_deleting_a_cited_study_is_told_which_pages_lost_it(
    clinic_site, django_user_model, closes_connections, browser_page
):
    create_user(django_user_model, "paul", "Publishers")
    link = (
        ServiceRelatedStudy.objects.filter(page__live=True)
        .select_related("page", "study")
        .first()
    )
    study = link.study
    citing = [
        other.page.title
        for other in ServiceRelatedStudy.objects.filter(
            study=study, page__live=True
        ).select_related("page")
    ]
    page, base = browser_page, clinic_site.url
    sign_in(page, base, "paul")
    page.goto(f"{base}/admin/pages/{study.pk}/delete/")

    notice = page.locator("[data-clinical-citing-pages]")
    for title in citing:
        expect(notice.get_by_role("link", name=title)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, delete it").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text(f"lost their citation of “{study.title}”")
    expect(messages).to_contain_text("flagged “Changed since review”")
    for title in citing:
        expect(messages).to_contain_text(f"“{title}”")
