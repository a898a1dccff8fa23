"""The "Clinical review" workflow as each group lives it in the admin."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowPage

from cms.clinical.tests.helpers import approve, submit_new_study
from cms.clinical.workflows import WORKFLOW_NAME
from cms.core.models import ClinicSettings
from cms.core.review import add_months
from cms.core.tests.helpers import edit_form_data, logged_in, make_user
from studies.models import StudySummaryPage
from studies.tests.factories import StudySummaryPageFactory
from studies.tests.helpers import add_url, study_form

pytestmark = pytest.mark.django_db


def test_sections_created_later_get_the_clinical_review_workflow(study_index):
    assert WorkflowPage.objects.get(page=study_index).workflow.name == WORKFLOW_NAME


def test_editor_submits_and_reviewer_approval_records_the_review(
    study_index, editor, reviewer
):
    response = submit_new_study(logged_in(editor), study_index)
    assert response.status_code == 302
    study = StudySummaryPage.objects.get(slug="new-study")
    assert not study.live
    assert study.current_workflow_task.name == WORKFLOW_NAME

    response = approve(logged_in(reviewer), study)
    assert response.status_code == 200

    study = StudySummaryPage.objects.get(pk=study.pk)
    today = timezone.localdate()
    assert study.live
    assert study.reviewed_by.display_name == "Ana Reyes, MD"
    assert study.last_reviewed == today
    # Study summaries are re-reviewed every 24 months by default.
    assert study.next_review_due == add_months(today, 24)
    assert study.current_workflow_state is None


def test_cadence_comes_from_clinic_settings(study_index, editor, reviewer, home_page):
    clinic = ClinicSettings.for_site(home_page.get_site())
    clinic.study_review_months = 6
    clinic.save()
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    approve(logged_in(reviewer), study)
    study.refresh_from_db()
    assert study.next_review_due == add_months(timezone.localdate(), 6)


def test_a_publisher_cannot_publish_a_clinical_edit_without_a_new_review(
    study_index, editor, reviewer, publisher
):
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    approve(logged_in(reviewer), study)
    data = edit_form_data(logged_in(publisher), study, title="New study (typo fixed)")
    data["action-publish"] = "Publish"
    response = logged_in(publisher).post(
        reverse("wagtailadmin_pages:edit", args=[study.pk]), data, follow=True
    )
    assert "changed since the last medical review (Title)" in response.content.decode()
    assert StudySummaryPage.objects.get(pk=study.pk).title == "New study"


def test_a_minor_edit_published_later_keeps_the_review_dates(
    study_index, editor, reviewer, publisher
):
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    approve(logged_in(reviewer), study)
    study = StudySummaryPage.objects.get(pk=study.pk)
    reviewed = (study.reviewed_by_id, study.last_reviewed, study.next_review_due)
    # Pretend the review happened long ago, as it will have by the next edit.
    StudySummaryPage.objects.filter(pk=study.pk).update(
        last_reviewed=datetime.date(2025, 3, 1),
        next_review_due=datetime.date(2027, 3, 1),
        last_published_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC),
    )
    study = StudySummaryPage.objects.get(pk=study.pk)
    latest = study.get_latest_revision_as_object()
    latest.last_reviewed = study.last_reviewed
    latest.next_review_due = study.next_review_due
    latest.save_revision()

    # A minor edit: the search description, not the clinical text.
    data = edit_form_data(
        logged_in(publisher), study, search_description="A study of ketamine for pain."
    )
    data["action-publish"] = "Publish"
    response = logged_in(publisher).post(
        reverse("wagtailadmin_pages:edit", args=[study.pk]), data
    )
    assert response.status_code == 302

    study = StudySummaryPage.objects.get(pk=study.pk)
    assert study.search_description == "A study of ketamine for pain."
    assert timezone.localtime(study.last_published_at).date() == timezone.localdate()
    assert study.reviewed_by_id == reviewed[0]
    assert study.last_reviewed == datetime.date(2025, 3, 1)
    assert study.next_review_due == datetime.date(2027, 3, 1)


def test_editor_cannot_publish_a_clinical_page(study_index, editor):
    client = logged_in(editor)
    edit_screen = client.get(add_url(study_index))
    html = edit_screen.content.decode()
    assert 'name="action-publish"' not in html
    assert "Submit to Clinical review" in html

    data = study_form()
    data["action-publish"] = "Publish"
    client.post(add_url(study_index), data)
    study = StudySummaryPage.objects.get(slug="new-study")
    assert not study.live


def test_editor_cannot_set_the_review_record(study_index, editor, reviewer):
    clinician_id = reviewer.clinician.pk
    data = study_form(reviewed_by=str(clinician_id), last_reviewed="2026-01-05")
    logged_in(editor).post(add_url(study_index), data)
    study = StudySummaryPage.objects.get(slug="new-study")
    assert study.reviewed_by_id is None
    assert study.last_reviewed is None


def test_reviewer_without_a_clinician_record_is_told_why_approval_failed(
    study_index, editor, django_user_model
):
    unlinked = make_user(django_user_model, "rita", "Medical reviewers")
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    response = approve(logged_in(unlinked), study)
    html = response.content.decode()
    assert "Not approved:" in html
    assert "not linked to an active clinician" in html
    study.refresh_from_db()
    assert not study.live
    assert study.reviewed_by_id is None
    assert study.current_workflow_task.name == WORKFLOW_NAME


def test_editors_and_publishers_cannot_approve(study_index, editor, publisher):
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    for user in (editor, publisher):
        response = approve(logged_in(user), study)
        assert "you do not have permission" in response.content.decode()
    study.refresh_from_db()
    assert not study.live


def test_publisher_is_told_to_submit_an_unreviewed_page(study_index, publisher):
    study = StudySummaryPageFactory(parent=study_index, title="Unreviewed", live=False)
    data = study_form(title="Unreviewed")
    data["action-publish"] = "Publish"
    response = logged_in(publisher).post(
        reverse("wagtailadmin_pages:edit", args=[study.pk]), data, follow=True
    )
    html = response.content.decode()
    assert "Not published:" in html
    assert "Submit to Clinical review" in html
    study.refresh_from_db()
    assert not study.live
    # The draft is kept.
    assert study.get_latest_revision_as_object().title == "Unreviewed"
