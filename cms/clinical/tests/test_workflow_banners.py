"""What each person reads after a clinical action: one banner, in their words.

Approving publishes ("Approved and published") or schedules ("Approved: goes
live on …"); a refusal says what is missing and who can fix it, with no green
"has been updated" above it; the submitter can withdraw a page from review on
its own edit screen; the review report starts a review in one click.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page

from cms.clinical import banners
from cms.clinical.rules import approval_blockers
from cms.clinical.scheduling import publish_due_clinical_pages
from cms.clinical.tests.helpers import approve, submit_new_study
from cms.clinical.workflows import WORKFLOW_NAME
from cms.core.tests.factories import DisclaimerFactory
from cms.core.tests.helpers import edit_form_data, logged_in, make_user
from home.models import ServicePage
from home.tests.factories import ServicePageFactory
from studies.models import StudySummaryPage

pytestmark = pytest.mark.django_db

SECTIONS = {
    "risks": "<p>Dizziness during the infusion.</p>",
    "who_it_is_not_for": "<p>People with uncontrolled high blood pressure.</p>",
    "when_to_get_help": "<p>Call 911 for chest pain.</p>",
}


def shown(response) -> list[tuple[str, str]]:
    """The banners on the screen the person lands on: (level, words)."""
    return [
        (message.level_tag, " ".join(strip_tags(str(message)).split()))
        for message in response.context["messages"]
    ]


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def in_days(days: int) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=9, minute=0, second=0, microsecond=0)


def approve_while_editing(client, page):
    data = edit_form_data(client, page)
    data["action-workflow-action"] = "approve"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = "{}"
    return client.post(edit_url(page), data, follow=True)


def submitted_service(service_index, editor, **fields):
    service = ServicePageFactory(
        parent=service_index, title="Physical therapy", live=False, **fields
    )
    service.save_revision()
    data = edit_form_data(logged_in(editor), service)
    data["action-submit"] = "Submit to Clinical review"
    logged_in(editor).post(edit_url(service), data)
    return ServicePage.objects.get(pk=service.pk)


def test_the_dates_read_as_people_say_them():
    moment = timezone.make_aware(datetime.datetime(2027, 3, 3, 9, 0))
    assert banners.when(moment, today=datetime.date(2027, 1, 1)) == ("3 March at 09:00")
    assert banners.when(moment, today=datetime.date(2026, 12, 1)) == (
        "3 March 2027 at 09:00"
    )


def test_submitting_says_what_happens_next(study_index, editor):
    client = logged_in(editor)
    response = submit_new_study(client, study_index)
    landed = client.get(response["Location"])
    assert shown(landed) == [
        (
            "success",
            "Submitted to Clinical review: a medical reviewer will check “New "
            "study”. It goes live when they approve it. To change it before "
            "then, choose “Withdraw from Clinical review” on its edit screen.",
        )
    ]


def test_approving_publishes_and_says_so_once(study_index, editor, reviewer):
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    response = approve(logged_in(reviewer), study)
    assert shown(response) == [
        ("success", "Approved and published: “New study” is live.")
    ]
    assert StudySummaryPage.objects.get(pk=study.pk).live


def test_approving_from_the_edit_screen_has_no_has_been_updated_line(
    study_index, editor, reviewer
):
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    response = approve_while_editing(logged_in(reviewer), study)
    assert shown(response) == [
        ("success", "Approved and published: “New study” is live.")
    ]


def test_a_refused_approval_is_one_red_banner_naming_what_is_missing(
    service_index, editor, reviewer
):
    service = submitted_service(service_index, editor)
    response = approve_while_editing(logged_in(reviewer), service)
    assert response.redirect_chain[-1][0] == edit_url(service)
    [(level, words)] = shown(response)
    assert level == "error"
    assert words.startswith(
        "Not approved: the service page needs “Risks and side effects”, "
        "“Who this is not for”, “When to get help” (Content tab)"
    )
    assert "An editor can fill them in." in words
    assert "has been updated" not in response.content.decode()
    assert not ServicePage.objects.get(pk=service.pk).live


def test_a_refused_approval_in_the_dialog_is_one_banner_too(
    service_index, editor, reviewer
):
    service = submitted_service(service_index, editor)
    response = approve(logged_in(reviewer), service)
    [(level, words)] = shown(response)
    assert level == "error"
    assert words.startswith("Not approved: the service page needs")


def test_a_reviewer_is_never_told_to_ask_a_reviewer(service_index, reviewer):
    DisclaimerFactory(is_active=False)
    service = ServicePageFactory(
        parent=service_index, involves_ketamine=True, live=False, **SECTIONS
    )
    service.save_revision()
    [problem] = approval_blockers(service, reviewer)
    assert "Ask a medical reviewer" not in problem
    assert "Add one under Clinical › Disclaimers" in problem


def test_a_refused_publish_is_one_banner_and_keeps_the_draft(service_index, publisher):
    service = ServicePageFactory(parent=service_index, title="Unreviewed", live=False)
    data = edit_form_data(logged_in(publisher), service, title="Unreviewed (new)")
    data["action-publish"] = "Publish"
    response = logged_in(publisher).post(edit_url(service), data, follow=True)
    [(level, words)] = shown(response)
    assert level == "error"
    assert words.startswith("Not published: this clinical page has not been")
    assert words.endswith("Your changes are saved as a draft.")
    service = ServicePage.objects.get(pk=service.pk)
    assert service.get_latest_revision_as_object().title == "Unreviewed (new)"


# Scheduling a clinical page


def test_an_editor_schedules_and_approval_sets_the_go_live(
    study_index, editor, reviewer
):
    go_live = in_days(3)
    submit_new_study(
        logged_in(editor), study_index, go_live_at=go_live.strftime("%Y-%m-%d %H:%M")
    )
    study = StudySummaryPage.objects.get(slug="new-study")
    response = approve(logged_in(reviewer), study)
    expected = f"Approved: “New study” goes live on {banners.when(go_live)}."
    assert shown(response) == [("success", expected)]
    study = StudySummaryPage.objects.get(pk=study.pk)
    assert not study.live
    assert study.scheduled_revision.approved_go_live_at == go_live

    # The section's page list and the dashboard say when.
    listing = logged_in(editor).get(
        reverse("wagtailadmin_explore", args=[study_index.pk])
    )
    html = listing.content.decode()
    assert f"Goes live on {banners.when(go_live)}" in html
    dashboard = logged_in(editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "Approved, waiting to go live" in dashboard
    assert f"New study</a>: goes live on {banners.when(go_live)}" in dashboard

    # At go-live (the clock moved on) the rules are asked again, and pass.
    revision = study.scheduled_revision
    due = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    assert publish_due_clinical_pages() == []
    study = StudySummaryPage.objects.get(pk=study.pk)
    assert study.live
    assert study.reviewed_by.display_name == "Ana Reyes, MD"


def test_the_submit_banner_names_the_chosen_go_live(study_index, editor):
    go_live = in_days(5)
    client = logged_in(editor)
    response = submit_new_study(
        client, study_index, go_live_at=go_live.strftime("%Y-%m-%d %H:%M")
    )
    [(_, words)] = shown(client.get(response["Location"]))
    assert f"When they approve it, it goes live on {banners.when(go_live)}." in words


# Withdraw and edit


def test_the_submitter_withdraws_edits_and_resubmits(study_index, editor):
    client = logged_in(editor)
    submit_new_study(client, study_index)
    study = StudySummaryPage.objects.get(slug="new-study")

    locked = client.get(edit_url(study))
    html = locked.content.decode()
    assert "Cancel workflow" not in html
    withdraw = reverse("clinical_review_withdraw", args=[study.pk])
    assert f'formaction="{withdraw}"' in html
    assert ">Withdraw from Clinical review</button>" in re.sub(r"\s+", " ", html)
    assert (
        "warning",
        "Waiting for Clinical review: a medical reviewer checks this page before "
        "it goes live, so it cannot be edited now. To change it, choose "
        "“Withdraw from Clinical review” at the bottom of the screen.",
    ) in shown(locked)

    response = client.post(withdraw, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(study)
    assert shown(response) == [
        (
            "success",
            "Withdrawn from Clinical review: you can edit “New study” again. "
            "Choose “Submit to Clinical review” when it is ready.",
        )
    ]
    assert Page.objects.get(pk=study.pk).current_workflow_state is None

    data = edit_form_data(client, study, title="New study (fixed)")
    data["action-submit"] = "Submit to Clinical review"
    response = client.post(edit_url(study), data, follow=True)
    [(_, words)] = shown(response)
    assert words.startswith("Submitted to Clinical review")
    study = StudySummaryPage.objects.get(pk=study.pk)
    assert study.current_workflow_task.name == WORKFLOW_NAME
    assert study.get_latest_revision_as_object().title == "New study (fixed)"


def test_only_the_submitter_may_withdraw(study_index, editor, django_user_model):
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    other = make_user(django_user_model, "otto", "Editors")
    withdraw = reverse("clinical_review_withdraw", args=[study.pk])
    assert "Withdraw from Clinical review" not in (
        logged_in(other).get(edit_url(study)).content.decode()
    )
    refused = logged_in(other).post(withdraw, follow=True)
    assert "you do not have permission" in refused.content.decode()
    assert logged_in(editor).get(withdraw).status_code == 405
    assert Page.objects.get(pk=study.pk).current_workflow_state is not None


# "Start review" in the review report


def test_start_review_puts_a_page_into_clinical_review_in_one_click(
    service_index, editor
):
    service = ServicePageFactory(parent=service_index, title="Never reviewed")
    report = reverse("clinical_review_due")
    start = reverse("clinical_review_start", args=[service.pk])
    html = logged_in(editor).get(report).content.decode()
    assert f'action="{start}"' in html
    assert "Start review of Never reviewed" in html

    response = logged_in(editor).post(start, {"next": report}, follow=True)
    assert response.redirect_chain[-1][0] == report
    assert shown(response) == [
        (
            "success",
            "“Never reviewed” is now in Clinical review: medical reviewers see it "
            "on their dashboard and can approve it from its edit screen.",
        )
    ]
    state = Page.objects.get(pk=service.pk).current_workflow_state
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == editor
    assert "In Clinical review" in response.content.decode()
    assert f'action="{start}"' not in response.content.decode()

    again = logged_in(editor).post(start, follow=True)
    assert shown(again) == [
        ("error", "“Never reviewed” is already in Clinical review.")
    ]


def test_start_review_is_a_checked_post(service_index, editor, django_user_model):
    service = ServicePageFactory(parent=service_index, title="Never reviewed")
    start = reverse("clinical_review_start", args=[service.pk])
    assert logged_in(editor).get(start).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(start).status_code == 403
    # Someone who may use the admin but has no rights on pages.
    nobody = django_user_model.objects.create_user(username="vera", password="x")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    refused = logged_in(nobody).post(start, follow=True)
    assert "you do not have permission" in refused.content.decode()
    assert Page.objects.get(pk=service.pk).current_workflow_state is None
