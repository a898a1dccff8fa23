"""What a reviewer meets when approving, and what an approval records.

Approving a service needs its safety sections and, on a ketamine page, the
disclaimer in use; "FDA-approved" beside pain or depression needs the
reviewer's explicit confirmation, kept with the approval. Editors see the
ketamine box ticked for them, and copies of clinical pages start as drafts.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from cms.clinical.records import ClinicalApproval
from cms.core.tests.factories import DisclaimerFactory
from cms.core.tests.helpers import edit_form_data, logged_in
from home.models import ServicePage
from home.tests.factories import ServicePageFactory, paragraph

pytestmark = pytest.mark.django_db

SECTIONS = {
    "risks": "<p>Dizziness during the infusion.</p>",
    "who_it_is_not_for": "<p>People with uncontrolled high blood pressure.</p>",
    "when_to_get_help": "<p>Call 911 for chest pain.</p>",
}


def submitted_service(service_index, editor, **fields):
    """A draft service an editor submitted to Clinical review in the admin."""
    service = ServicePageFactory(parent=service_index, live=False, **fields)
    service.save_revision()
    data = edit_form_data(logged_in(editor), service)
    data["action-submit"] = "Submit to Clinical review"
    url = reverse("wagtailadmin_pages:edit", args=[service.pk])
    logged_in(editor).post(url, data)
    return ServicePage.objects.get(pk=service.pk)


def approve_url(page):
    task_state = page.current_workflow_task_state
    return reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", task_state.pk],
    )


def test_approval_needs_the_safety_sections_and_the_dialog_lists_them(
    service_index, editor, reviewer
):
    service = submitted_service(service_index, editor, title="Physical therapy")
    client = logged_in(reviewer)
    dialog = client.get(approve_url(service)).json()["html"]
    assert "Still missing from this version" in dialog
    assert "Risks and side effects." in dialog
    response = client.post(approve_url(service), {"comment": ""}, follow=True)
    html = response.content.decode()
    assert "Not approved:" in html
    assert "“Risks and side effects”, “Who this is not for”, “When to get help”" in (
        html
    )
    service.refresh_from_db()
    assert not service.live
    assert not ClinicalApproval.objects.filter(page=service).exists()


def test_fda_wording_needs_the_reviewers_confirmation_which_is_recorded(
    service_index, editor, reviewer
):
    disclaimer = DisclaimerFactory(is_active=True)
    service = submitted_service(
        service_index,
        editor,
        title="IV ketamine",
        involves_ketamine=True,
        disclaimer=disclaimer,
        body=paragraph("Ketamine is FDA-approved for chronic pain."),
        **SECTIONS,
    )
    client = logged_in(reviewer)
    refused = client.post(approve_url(service), {"comment": ""}, follow=True)
    assert "tick “I have checked the FDA wording”" in refused.content.decode()
    assert not ServicePage.objects.get(pk=service.pk).live

    service = ServicePage.objects.get(pk=service.pk)
    client.post(approve_url(service), {"comment": "", "fda_wording_checked": "on"})
    service = ServicePage.objects.get(pk=service.pk)
    assert service.live
    approval = ClinicalApproval.objects.get(page=service)
    assert approval.fda_wording_acknowledged
    assert approval.clinician.user == reviewer
    entry = PageLogEntry.objects.get(page=service, action="clinical.approved")
    assert entry.revision_id == approval.revision_id
    assert entry.data["fda_wording_checked"] is True


def test_the_ketamine_box_is_ticked_for_the_editor_with_a_message(
    service_index, editor
):
    service = ServicePageFactory(
        parent=service_index, title="Migraine infusions", live=False
    )
    service.save_revision()
    client = logged_in(editor)
    data = edit_form_data(client, service, title="IV ketamine infusions for migraine")
    url = reverse("wagtailadmin_pages:edit", args=[service.pk])
    response = client.post(url, data, follow=True)
    assert "“Involves ketamine” is now ticked" in response.content.decode()
    latest = ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object()
    assert latest.involves_ketamine


def test_a_clinical_page_is_copied_live_only_after_its_own_review(
    service_index, publisher
):
    service = ServicePageFactory(parent=service_index, title="IV ketamine")
    client = logged_in(publisher)
    url = reverse("wagtailadmin_pages:copy", args=[service.pk])
    response = client.post(
        url,
        {
            "new_title": "IV ketamine (copy)",
            "new_slug": "iv-ketamine-copy",
            "new_parent_page": service_index.pk,
            "publish_copies": "on",
        },
        follow=True,
    )
    assert "untick “Publish copies” to copy it as a draft" in (
        response.content.decode()
    )
    assert not Page.objects.filter(slug="iv-ketamine-copy").exists()
    as_draft = client.post(
        url,
        {
            "new_title": "IV ketamine (copy)",
            "new_slug": "iv-ketamine-copy",
            "new_parent_page": service_index.pk,
        },
    )
    assert as_draft.status_code == 302
    assert not Page.objects.get(slug="iv-ketamine-copy").live
