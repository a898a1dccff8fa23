"""Wagtail 8's autosave on clinical pages: it keeps work, and changes nothing live.

Autosave posts the editor's form in the background (asking for JSON) while
they type. For a clinic that must never mean a half-written or unreviewed
clinical page reaching visitors, or a review record moving.
"""

import pytest
from django.urls import reverse

from cms.clinical.tests.helpers import approve, submit_new_study
from cms.core.tests.helpers import logged_in
from studies.models import StudySummaryPage
from studies.tests.helpers import add_url, study_form

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}


def test_autosave_of_a_malformed_doi_keeps_nothing_and_says_why(study_index, editor):
    response = logged_in(editor).post(
        add_url(study_index), study_form(doi="doi 10.1097 AAP"), **AUTOSAVE
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
    assert not StudySummaryPage.objects.filter(slug="new-study").exists()


def test_autosave_creates_a_draft_that_visitors_cannot_see(study_index, editor, client):
    response = logged_in(editor).post(add_url(study_index), study_form(), **AUTOSAVE)
    assert response.status_code == 200
    assert response.json()["success"] is True

    study = StudySummaryPage.objects.get(slug="new-study")
    assert not study.live
    assert study.current_workflow_state is None  # not submitted for review either
    assert study.url == "/studies/new-study/"
    assert client.get(study.url).status_code == 404
    listed = client.get("/api/v3/studies/").json()["items"]
    assert "New study" not in [item["title"] for item in listed]


@pytest.mark.parametrize("author", ["editor", "publisher"])
def test_autosave_of_a_live_reviewed_page_changes_nothing_visitors_see(
    study_index, editor, reviewer, client, request, author
):
    submit_new_study(logged_in(editor), study_index)
    study = StudySummaryPage.objects.get(slug="new-study")
    approve(logged_in(reviewer), study)
    study = StudySummaryPage.objects.get(pk=study.pk)
    reviewed = (study.reviewed_by_id, study.last_reviewed, study.next_review_due)
    assert study.live and reviewed[0] is not None

    # Autosave never publishes, even for someone who may publish.
    response = logged_in(request.getfixturevalue(author)).post(
        reverse("wagtailadmin_pages:edit", args=[study.pk]),
        study_form(title="New study, half rewritten"),
        **AUTOSAVE,
    )
    assert response.status_code == 200
    assert response.json()["success"] is True

    study = StudySummaryPage.objects.get(pk=study.pk)
    assert study.has_unpublished_changes
    draft = study.get_latest_revision_as_object()
    assert draft.title == "New study, half rewritten"
    # The draft keeps the review record, so publishing it later does too.
    assert (draft.reviewed_by_id, draft.last_reviewed, draft.next_review_due) == (
        reviewed
    )
    html = client.get("/studies/new-study/").content.decode()
    assert "<h1>New study</h1>" in html
    assert "half rewritten" not in html
