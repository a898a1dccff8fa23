"""Side doors found by trying to get around the publish rules, kept shut.

Each test is one way an attacker's review put clinical content live without a
review, or made a legitimate action fail with a server error.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from cms.clinical.records import ClinicalFlag
from cms.clinical.rules import PublishRefused, _same_text
from cms.clinical.wording import fda_claims
from cms.core.tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    DisclaimerFactory,
    publish_reviewed,
)
from cms.core.tests.helpers import logged_in
from home.models import ServicePage
from home.tests.factories import ServicePageFactory, paragraph

SECTIONS = {
    "risks": "<p>Dizziness during the infusion.</p>",
    "who_it_is_not_for": "<p>People with uncontrolled high blood pressure.</p>",
    "when_to_get_help": "<p>Call 911 for chest pain.</p>",
}


@pytest.fixture
def reviewed_service(service_index):
    page = ServicePageFactory(
        parent=service_index,
        title="IV ketamine",
        involves_ketamine=True,
        disclaimer=DisclaimerFactory(is_active=True),
        reviewed_by=ClinicianFactory(),
        last_reviewed=datetime.date(2026, 1, 5),
        next_review_due=datetime.date(2099, 1, 5),
        **SECTIONS,
    )
    publish_reviewed(page)
    return ServicePage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_the_seed_loader_puts_a_removed_clinical_page_back_only_as_a_draft():
    call_command("load_clinic_content", stdout=StringIO())
    seeded = ServicePage.objects.get(slug="ketamine-and-pain-management")
    assert seeded.live  # the first set-up publishes the clinic's public page
    Page.objects.get(pk=seeded.pk).delete()

    out = StringIO()
    call_command("load_clinic_content", stdout=out)  # the next `make run`
    again = ServicePage.objects.get(slug="ketamine-and-pain-management")
    assert not again.live
    assert "as a draft: it needs Clinical review" in out.getvalue()
    assert "First set-up" not in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, text",
    [
        ("summary", "An FDA-approved permanent cure for depression."),
        ("booking_text", "Guaranteed results."),
    ],
)
def test_listing_and_booking_text_are_reviewed_content(reviewed_service, field, text):
    draft = reviewed_service.get_latest_revision_as_object()
    setattr(draft, field, text)
    with pytest.raises(PublishRefused, match="changed since the last medical review"):
        draft.save_revision().publish()
    assert getattr(ServicePage.objects.get(pk=draft.pk), field) != text


@pytest.mark.django_db
def test_rewording_a_condition_flags_the_reviewed_pages_that_show_it(
    reviewed_service, django_capture_on_commit_callbacks
):
    condition = ConditionFactory(name="Depression")
    reviewed_service.conditions.set([condition])
    publish_reviewed(reviewed_service)
    with django_capture_on_commit_callbacks(execute=True):
        condition.name = "Depression (cured with ketamine)"
        condition.save()
    flag = ClinicalFlag.objects.get(page=reviewed_service)
    assert "was changed" in flag.message
    # And its next publish needs a review: the words on the page changed.
    draft = ServicePage.objects.get(pk=reviewed_service.pk)
    with pytest.raises(PublishRefused, match="Conditions"):
        draft.save_revision().publish()


@pytest.mark.django_db
def test_a_refused_side_effect_publish_in_the_admin_is_a_message_not_an_error(
    reviewed_service, service_index, publisher
):
    alias = reviewed_service.create_alias(parent=service_index, update_slug="alias")
    client = logged_in(publisher)
    response = client.post(
        reverse("wagtailadmin_pages:convert_alias", args=[alias.pk]),
        HTTP_REFERER=f"http://testserver/admin/pages/{alias.pk}/edit/",
        follow=True,
    )
    assert response.status_code == 200
    assert "has not been medically reviewed" in response.content.decode()
    assert Page.objects.get(pk=alias.pk).alias_of_id == reviewed_service.pk


@pytest.mark.django_db
def test_wagtails_older_scheduler_command_applies_the_rules(service_index):
    page = ServicePageFactory(parent=service_index, title="Migraine", live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()  # scheduled
    due = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])

    call_command("publish_scheduled_pages", stdout=StringIO(), stderr=StringIO())

    assert not ServicePage.objects.get(pk=page.pk).live
    assert ClinicalFlag.objects.filter(page=page).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sentence",
    [
        "Our infusions are FDA-approved for depression.",
        "It was approved by the FDA for chronic pain.",
        "FDA\u2011approved relief for pain.",
    ],
)
def test_fda_wording_on_a_ticked_ketamine_page_needs_the_confirmation(
    service_index, sentence
):
    page = ServicePage(
        title="Infusions", involves_ketamine=True, body=paragraph(sentence)
    )
    assert fda_claims(page)


@pytest.mark.parametrize(
    "stored, from_the_editor",
    [
        (
            "<p><strong>Rare</strong> side effects</p>",
            "<p><b>Rare</b> side effects</p>",
        ),
        ("<p>One.</p>\n<p>Two.</p>", "<p>One.</p><p>Two.</p>"),
        ("<p>Up&nbsp;to an hour</p>", "<p>Up to an hour</p>"),
        ('<p data-block-key="a1">Same</p>', "<p>Same</p>"),
    ],
)
def test_the_editors_rewriting_of_html_is_not_a_change(stored, from_the_editor):
    assert _same_text(stored) == _same_text(from_the_editor)
