"""The page editor as each person sees it: "Still missing", review fields, errors.

Each test reads the edit screen's HTML (or a failed save's) the way the
editor's browser gets it.
"""

import datetime
import re

import pytest
from django.urls import reverse
from wagtail import blocks
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from cms.core.blocks import BodyStreamBlock
from cms.core.blocks.site import FooterLinksBlock, OpeningHoursBlock
from cms.core.loading import mark_imported
from cms.core.tests.factories import ClinicianFactory, ConditionFactory
from cms.core.tests.fixtures import make_image
from cms.core.tests.helpers import edit_form_data, logged_in
from home.tests.factories import ServicePageFactory
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db


def edit_screen(user, page):
    response = logged_in(user).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def soup(html):
    return WagtailTestUtils.get_soup(html)


def missing_panel(html):
    return soup(html).select_one("[data-missing-information]")


@pytest.fixture
def service(service_index):
    return ServicePageFactory(parent=service_index, title="Nerve blocks")


def test_editors_are_not_asked_for_the_review_record(service, editor):
    panel = missing_panel(edit_screen(editor, service))
    text = panel.get_text(" ", strip=True)
    assert "Risks and side effects." in text
    assert "Medical reviewer:" not in text
    assert "Review date:" not in text
    assert "Next review due:" not in text


def test_reviewers_are_asked_for_the_review_record(service, reviewer):
    text = missing_panel(edit_screen(reviewer, service)).get_text(" ", strip=True)
    assert "Medical reviewer: no clinician has reviewed this page yet." in text
    assert "Next review due:" in text


def test_each_item_links_to_its_field_and_names_other_tabs(service, editor):
    panel = missing_panel(edit_screen(editor, service))
    links = {a["data-missing-field"]: a for a in panel.select("a[data-missing-field]")}
    assert links["risks"]["href"] == "#id_risks"
    assert links["risks"].get_text(strip=True) == "Risks and side effects."
    assert links["summary"]["href"] == "#id_summary"
    # Every item is on the Content tab, so none says which tab it is on.
    assert "tab)" not in panel.get_text()


def test_the_import_sentence_is_only_on_imported_pages(service, editor):
    assert "was invented" not in missing_panel(edit_screen(editor, service)).text
    mark_imported(service)
    assert (
        "Nothing here was invented when the page was imported"
        in missing_panel(edit_screen(editor, service)).text
    )


def review_inputs(html):
    form = soup(html).select_one("#page-edit-form")
    return {
        name: form.select(f"[name={name}]")
        for name in ("reviewed_by", "last_reviewed", "next_review_due")
    }


def test_review_fields_are_read_only_text_for_editors(service_index, editor):
    clinician = ClinicianFactory(name="Dr Lee Wong", credentials="MD")
    service = ServicePageFactory(
        parent=service_index,
        title="Reviewed service",
        reviewed_by=clinician,
        last_reviewed=datetime.date(2026, 1, 5),
    )
    html = edit_screen(editor, service)
    assert all(not found for found in review_inputs(html).values())
    section = soup(html).find(id=re.compile("medical_review-section$")) or soup(
        html
    ).select_one("#page-edit-form")
    text = section.get_text(" ", strip=True)
    assert "Dr Lee Wong, MD" in text
    assert "Not recorded yet" in text
    assert "Filled in when a medical reviewer approves this page" in text


def test_review_fields_stay_editable_for_reviewers(service, reviewer):
    inputs = review_inputs(edit_screen(reviewer, service))
    assert all(inputs.values())


def test_the_listing_summary_is_on_the_content_tab(service, editor):
    page = soup(edit_screen(editor, service))
    assert page.select_one("#tab-content [name=summary]") is not None
    assert page.select_one("#tab-promote [name=summary]") is None


def test_conditions_are_tick_boxes(service, editor):
    ConditionFactory(name="Fibromyalgia")
    page = soup(edit_screen(editor, service))
    boxes = page.select("#tab-content input[type=checkbox][name=conditions]")
    assert [box.find_parent("label").get_text(strip=True) for box in boxes] == [
        "Fibromyalgia"
    ]
    assert page.select("select[name=conditions]") == []


def failed_save(user, page, **changes):
    client = logged_in(user)
    data = edit_form_data(client, page, **changes)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, data)
    assert response.status_code == 200, "the save was expected to fail"
    return response.content.decode()


def field_errors(html, name):
    wrapper = soup(html).select_one(f"[data-field-wrapper]:has([name={name}])")
    return wrapper.select_one(".error-message").get_text(" ", strip=True)


def test_a_missing_web_address_is_named_in_editors_words(service, editor):
    html = failed_save(editor, service, slug="")
    assert field_errors(html, "slug") == (
        "The page's web address is missing. Type a short address for it, e.g. "
        "“nerve-blocks”: lower-case letters, numbers and hyphens."
    )
    assert "This field is required" not in html
    assert "Web address" in soup(html).select_one("label[for=id_slug]").text


def test_a_missing_title_says_what_to_type(service, editor):
    html = failed_save(editor, service, title="")
    assert field_errors(html, "title").startswith("The page's title is missing.")


def test_a_taken_web_address_says_how_to_fix_it(service_index, service, editor):
    other = ServicePageFactory(parent=service_index, title="Other", slug="other")
    html = failed_save(editor, other, slug=service.slug)
    assert field_errors(html, "slug") == (
        f"Another page in this section already has the web address "
        f"“{service.slug}”. Choose a different one, e.g. “{service.slug}-2”."
    )


def test_other_required_fields_are_named_with_what_to_enter(study_index, admin_user):
    # Drafts may leave such fields empty; publishing applies every rule.
    study = StudySummaryPageFactory(parent=study_index, doi="10.1000/x")
    html = failed_save(admin_user, study, citation_title="", **{"action-publish": "1"})
    assert field_errors(html, "citation_title") == (
        "“Title of the study” is missing. The title exactly as published."
    )


def test_the_editor_script_is_on_the_edit_screen(service, editor):
    scripts = [s.get("src", "") for s in soup(edit_screen(editor, service))("script")]
    assert any(src.endswith("core/admin/editor.js") for src in scripts)


def test_the_image_description_says_it_is_read_aloud(admin_client):
    image = make_image()
    html = admin_client.get(reverse("wagtailimages:edit", args=[image.pk]))
    help_text = soup(html.content.decode()).select_one("#id_description-helptext")
    assert "read this aloud to people who cannot see the image" in help_text.text


def labels_in(block, trail=()):
    """Every path of labels an editor reads down the block tree."""
    label = str(block.label)
    path = (*trail, label)
    yield path
    children = getattr(block, "child_blocks", None) or {}
    if isinstance(block, blocks.ListBlock):
        children = {"item": block.child_block}
    for child in children.values():
        yield from labels_in(child, path)


@pytest.mark.parametrize(
    "stream", [BodyStreamBlock, FooterLinksBlock, OpeningHoursBlock]
)
def test_no_block_label_repeats_its_parent(stream):
    repeats = [
        " › ".join(path)
        for path in labels_in(stream())
        if len(path) > 1 and path[-1].lower() == path[-2].lower()
    ]
    assert repeats == []
