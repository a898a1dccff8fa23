"""Clinical review journeys in Debian's Chromium, read as the person reads them.

An editor adds a study by pasting ``PMID: 29870457`` and cites it from a
service, in fewer than nine screens; submits the service, withdraws it, fixes
it, sets when it goes live and submits it again; a medical reviewer approves
it and reads "Approved: … goes live on …". Each step asserts the banner shown.
"""

import datetime
import re

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from cms.clinical import banners
from cms.core.models import Clinician
from cms.core.tests.factories import ClinicianFactory, publish_reviewed
from cms.core.tests.journeys import (
    create_user,
    open_more_actions,
    sign_in,
    sign_out,
)
from home.models import ServiceIndexPage, ServicePage
from home.tests.factories import ServicePageFactory
from studies.models import StudySummaryPage

TITLE = "Ketamine for chronic pain: a systematic review"
PMID = "29870457"


@pytest.fixture
def people(clinic_site, django_user_model):
    # Same accounts and password as the editor journey's sign_in expects.
    create_user(django_user_model, "edna", "Editors")
    reviewer = create_user(django_user_model, "ana", "Medical reviewers")
    ClinicianFactory(name="Ana Reyes", credentials="MD", user=reviewer)


@pytest.fixture
def without_autosave(settings):
    """A script types faster than autosave's timer (see test_editor_journey)."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def a_reviewed_service() -> ServicePage:
    """A live, reviewed and complete service beside the clinic's own ones.

    Published from a revision, as the seed loader publishes (a live page
    without a live revision would be taken offline by a scheduled version).
    """
    service = ServicePageFactory(
        parent=ServiceIndexPage.objects.get(),
        title="Physical therapy for back pain",
        reviewed_by=Clinician.objects.get(name="Ana Reyes"),
        last_reviewed=timezone.localdate(),
        next_review_due=timezone.localdate() + datetime.timedelta(days=365),
        risks="<p>Soreness for a day or two.</p>",
        who_it_is_not_for="<p>People with a recent spinal fracture.</p>",
        when_to_get_help="<p>Call us if numbness spreads.</p>",
    )
    publish_reviewed(service)
    return service


def banner(page):
    return page.locator(".messages")


def test_add_link_submit_withdraw_fix_schedule_and_approve(
    clinic_site, people, without_autosave, browser_page
):
    try:
        _journey(clinic_site.url, browser_page)
    finally:
        # The test body's ORM calls ran in another async context (Playwright).
        connections.close_all()


def _journey(base, page):
    service = a_reviewed_service()
    screens = []
    page.on(
        "framenavigated",
        lambda frame: frame == page.main_frame and screens.append(frame.url),
    )

    # The editor starts on the dashboard.
    sign_in(page, base, "edna")
    screens.clear()

    # Pages › Services, then the service.
    page.goto(f"{base}/admin/pages/{service.get_parent().pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name=service.title, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{service.pk}/edit/"))

    # Under Evidence: "Add a new study summary", which comes back here.
    with page.expect_navigation():
        page.get_by_role("link", name="Add a new study summary").click()
    page.locator("#id_title").press_sequentially(TITLE)
    page.locator("#id_citation_title").fill(TITLE)
    page.locator("#id_pmid").fill(f"PMID: {PMID}")
    page.locator("#id_key_points-0-text").fill("Ketamine reduced pain for weeks.")
    expect(page.locator("#id_slug")).not_to_have_value("")
    open_more_actions(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit to Clinical review").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{service.pk}/edit/"))
    expect(banner(page)).to_contain_text(
        f"Submitted to Clinical review: a medical reviewer will check “{TITLE}”."
    )
    study = StudySummaryPage.objects.get(title=TITLE)
    assert study.pmid == PMID  # the label was dropped, the number kept whole

    # Back on the service: choose the new study in the Evidence list.
    page.get_by_role("button", name="Add study").click()
    page.get_by_role("button", name="Choose a page (Study summary)").last.click()
    chooser = page.locator(".modal")
    chooser.get_by_role("textbox", name="Search term").fill("systematic review")
    chooser.get_by_role("link", name=TITLE).click()
    expect(chooser).to_be_hidden()
    open_more_actions(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit to Clinical review").click()
    expect(banner(page)).to_contain_text(
        f"Submitted to Clinical review: a medical reviewer will check "
        f"“{service.title}”."
    )
    assert (
        ServicePage.objects.get(pk=service.pk)
        .get_latest_revision()
        .as_object()
        .related_studies.filter(study=study)
        .exists()
    )
    # Adding and citing the study: far fewer than the nine screens it took.
    assert len(screens) < 9, screens
    assert len(screens) <= 5, screens

    # The editor finds a mistake: the page is locked, and says how to get it back.
    page.goto(f"{base}/admin/pages/{service.pk}/edit/")
    expect(banner(page)).to_contain_text("Withdraw from Clinical review")
    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw from Clinical review").click()
    expect(banner(page)).to_contain_text(
        f"Withdrawn from Clinical review: you can edit “{service.title}” again."
    )

    # Fixed, and set to go live on a chosen day (Status › Set schedule).
    page.locator("#id_subtitle").fill("Exercises and hands-on therapy for back pain")
    go_live = (timezone.localtime() + datetime.timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    page.locator("[data-side-panel-toggle='status']").first.click()
    page.get_by_role("button", name="Set schedule").click()
    # The value goes in as the date picker would put it, without opening the
    # picker: open, its calendar covers the dialog's heading and button at
    # some window sizes, and clicking out of the dialog resets the field.
    page.locator("#id_go_live_at").evaluate(
        "(field, value) => { field.value = value;"
        " field.dispatchEvent(new Event('change', {bubbles: true})); }",
        go_live.strftime("%Y-%m-%d %H:%M"),
    )
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Save schedule").click()
    open_more_actions(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit to Clinical review").click()
    expect(banner(page)).to_contain_text(
        f"When they approve it, it goes live on {banners.when(go_live)}."
    )
    sign_out(page)

    # The medical reviewer approves it; it goes live on the chosen day.
    sign_in(page, base, "ana")
    page.goto(f"{base}/admin/pages/{service.pk}/edit/")
    open_more_actions(page)
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    dialog = page.locator(".modal")
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()
    expected = f"Approved: “{service.title}” goes live on {banners.when(go_live)}."
    expect(banner(page)).to_have_text(expected)
    expect(banner(page).locator("li")).to_have_count(1)
    # The section's list says the same.
    row = page.locator("tr", has_text=service.title)
    expect(row).to_contain_text(f"Goes live on {banners.when(go_live)}")

    live = ServicePage.objects.get(pk=service.pk)
    assert live.live
    assert live.subtitle != "Exercises and hands-on therapy for back pain"  # not yet
    assert live.scheduled_revision.approved_go_live_at == go_live
