"""What must be true before a clinical page goes live, as editors meet it."""

import datetime

import pytest
from django.urls import reverse

from cms.clinical.rules import publish_blockers
from cms.core.tests.factories import (
    ClinicianFactory,
    DisclaimerFactory,
    publish_reviewed,
)
from cms.core.tests.helpers import edit_form_data, logged_in
from home.models import ServicePage
from home.tests.factories import ServicePageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


SECTIONS = {
    "risks": "<p>Dizziness during the infusion.</p>",
    "who_it_is_not_for": "<p>People with uncontrolled high blood pressure.</p>",
    "when_to_get_help": "<p>Call 911 for chest pain.</p>",
}


def reviewed_service(service_index, **fields):
    service = ServicePageFactory(
        parent=service_index,
        title="IV ketamine",
        involves_ketamine=True,
        reviewed_by=ClinicianFactory(name="Ana Reyes"),
        last_reviewed=datetime.date(2026, 1, 5),
        next_review_due=datetime.date(2027, 1, 5),
        **SECTIONS,
        **fields,
    )
    publish_reviewed(service)
    return service


@pytest.fixture
def reviewed_ketamine_service(service_index):
    """Reviewed and complete, but approved without the disclaimer."""
    return reviewed_service(service_index)


def publish(client, page, **changes):
    data = edit_form_data(client, page, **changes)
    data["action-publish"] = "Publish"
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(url, data, follow=True)


def test_ketamine_service_without_disclaimer_is_not_published(
    reviewed_ketamine_service, publisher
):
    DisclaimerFactory(version="2026-11", is_active=True)
    response = publish(
        logged_in(publisher), reviewed_ketamine_service, title="IV ketamine therapy"
    )
    html = response.content.decode()
    assert "Not published:" in html
    assert "must show the off-label ketamine disclaimer in use (2026-11)" in html
    service = ServicePage.objects.get(pk=reviewed_ketamine_service.pk)
    assert service.title == "IV ketamine"  # the live page is unchanged
    assert service.get_latest_revision_as_object().title == "IV ketamine therapy"


def test_an_old_disclaimer_version_is_not_enough(reviewed_ketamine_service, publisher):
    old = DisclaimerFactory(version="2025-01", is_active=False)
    DisclaimerFactory(version="2026-11", is_active=True)
    response = publish(
        logged_in(publisher), reviewed_ketamine_service, disclaimer=str(old.pk)
    )
    assert "in use (2026-11)" in response.content.decode()
    assert ServicePage.objects.get(pk=reviewed_ketamine_service.pk).disclaimer is None


def test_no_active_disclaimer_at_all_is_explained(reviewed_ketamine_service):
    assert publish_blockers(reviewed_ketamine_service) == [
        "This service involves ketamine, and there is no off-label ketamine "
        "disclaimer in use. Ask a medical reviewer to add one under Clinical › "
        "Disclaimers and tick “in use”, then choose it on this page."
    ]


def test_choosing_the_disclaimer_is_a_clinical_change_that_needs_review(
    reviewed_ketamine_service, publisher
):
    active = DisclaimerFactory(version="2026-11", is_active=True)
    response = publish(
        logged_in(publisher), reviewed_ketamine_service, disclaimer=str(active.pk)
    )
    html = response.content.decode()
    assert "Not published:" in html
    assert "changed since the last medical review (Disclaimer)" in html
    assert ServicePage.objects.get(pk=reviewed_ketamine_service.pk).disclaimer is None


def test_reviewed_ketamine_service_with_its_disclaimer_publishes_a_seo_change(
    service_index, publisher
):
    active = DisclaimerFactory(version="2026-11", is_active=True)
    service = reviewed_service(service_index, disclaimer=active)
    response = publish(logged_in(publisher), service, seo_title="IV ketamine | Clinic")
    assert "Not published:" not in response.content.decode()
    service = ServicePage.objects.get(pk=service.pk)
    assert service.seo_title == "IV ketamine | Clinic"
    assert service.disclaimer == active
    # Visitors see it with its version (its place above the booking button is
    # tested with the service page template).
    html = logged_in(publisher).get(service.url).content.decode()
    assert 'data-disclaimer-version="2026-11"' in html


def test_general_pages_need_no_review(home_page, publisher):
    page = StandardPageFactory(parent=home_page, title="About us", live=False)
    response = publish(logged_in(publisher), page)
    assert "Not published:" not in response.content.decode()
    page.refresh_from_db()
    assert page.live


def test_bulk_publish_refuses_an_unreviewed_clinical_page(service_index, publisher):
    service = ServicePageFactory(parent=service_index, title="Unreviewed", live=False)
    service.save_revision()
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={service.pk}"
    )
    response = logged_in(publisher).post(url, {}, follow=True)
    html = response.content.decode()
    assert "Nothing was published: “Unreviewed” cannot go live." in html
    service.refresh_from_db()
    assert not service.live


def test_approval_of_a_ketamine_service_without_disclaimer_is_refused(
    service_index, editor, reviewer
):
    DisclaimerFactory(version="2026-11", is_active=True)
    service = ServicePageFactory(
        parent=service_index, title="New ketamine", involves_ketamine=True, live=False
    )
    service.save_revision()
    data = edit_form_data(logged_in(editor), service)
    data["action-submit"] = "Submit to Clinical review"
    logged_in(editor).post(reverse("wagtailadmin_pages:edit", args=[service.pk]), data)
    service = ServicePage.objects.get(pk=service.pk)
    task_state = service.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[service.pk, "approve", task_state.pk],
    )
    response = logged_in(reviewer).post(url, {"comment": ""}, follow=True)
    html = response.content.decode()
    assert "Not approved:" in html
    assert "off-label ketamine disclaimer in use (2026-11)" in html
    service.refresh_from_db()
    assert not service.live
    assert service.reviewed_by is None
