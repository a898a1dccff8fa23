"""Review cadence: the report, its CSV, the dashboard, the listing, reminders."""

import csv
import datetime
import io
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.core.tests.factories import ClinicianFactory
from cms.core.tests.helpers import logged_in, make_user
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REPORT = "/admin/reports/clinical-review-due/"


def study(index, title, next_due, reviewer=None, live=True):
    reviewer = reviewer or ClinicianFactory(name=f"Reviewer of {title}")
    page = StudySummaryPageFactory(
        parent=index,
        title=title,
        live=live,
        reviewed_by=reviewer,
        last_reviewed=next_due - datetime.timedelta(days=700),
        next_review_due=next_due,
    )
    return page


@pytest.fixture
def review_pages(study_index):
    return {
        "overdue": study(study_index, "Overdue study", TODAY - datetime.timedelta(1)),
        "soon": study(study_index, "Soon study", TODAY + datetime.timedelta(10)),
        "current": study(study_index, "Current study", TODAY + datetime.timedelta(90)),
        "draft": study(
            study_index, "Draft study", TODAY - datetime.timedelta(5), live=False
        ),
        "never": StudySummaryPageFactory(parent=study_index, title="Never reviewed"),
    }


def report_rows(client, **params):
    response = client.get(REPORT, {"export": "csv", **params})
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


def test_report_lists_overdue_due_soon_and_unreviewed_live_pages(review_pages, editor):
    html = logged_in(editor).get(REPORT).content.decode()
    assert "Clinical review due" in html
    for title in ("Overdue study", "Soon study", "Never reviewed"):
        assert title in html
    assert "Current study" not in html
    assert "Draft study" not in html
    assert "Review overdue" in html


def test_moving_a_review_date_into_the_past_puts_the_page_on_the_report(
    review_pages, publisher
):
    current = review_pages["current"]
    client = logged_in(publisher)
    assert "Current study" not in client.get(REPORT).content.decode()
    type(current).objects.filter(pk=current.pk).update(
        next_review_due=TODAY - datetime.timedelta(days=3)
    )
    rows = {row["Page"]: row for row in report_rows(client)}
    assert rows["Current study"]["Review status"] == "Review overdue"


def test_csv_export_has_one_row_per_page_with_the_review_record(review_pages, editor):
    rows = report_rows(logged_in(editor), ordering="next_review_due")
    assert [row["Page"] for row in rows] == [
        "Never reviewed",
        "Overdue study",
        "Soon study",
    ]
    overdue = rows[1]
    assert overdue["Type"] == "Study summary"
    assert overdue["Reviewed by"] == "Reviewer of Overdue study, MD"
    assert overdue["Next review due"] == str(TODAY - datetime.timedelta(1))
    assert overdue["Review status"] == "Review overdue"
    assert rows[0]["Review status"] == "Not yet medically reviewed"


def test_report_sorts_by_any_column(review_pages, editor):
    rows = report_rows(logged_in(editor), ordering="-title")
    assert [row["Page"] for row in rows] == [
        "Soon study",
        "Overdue study",
        "Never reviewed",
    ]
    rows = report_rows(logged_in(editor), ordering="status")
    assert [row["Review status"] for row in rows] == [
        "Review overdue",
        "Review due soon",
        "Not yet medically reviewed",
    ]


def test_report_queries_do_not_grow_with_the_number_of_pages(study_index, editor):
    client = logged_in(editor)
    study(study_index, "First", TODAY)
    client.get(REPORT)  # warm caches (site root paths, permissions)
    with CaptureQueriesContext(connection) as one_page:
        client.get(REPORT)
    for n in range(6):
        study(study_index, f"More {n}", TODAY - datetime.timedelta(n))
    with CaptureQueriesContext(connection) as seven_pages:
        assert "More 5" in client.get(REPORT).content.decode()
    assert len(seven_pages) == len(one_page)


def test_intake_like_users_without_page_rights_cannot_open_the_report(
    review_pages, django_user_model
):
    outsider = django_user_model.objects.create_user("olga", password="password")
    response = logged_in(outsider).get(REPORT)
    assert response.status_code == 302  # to the login page
    assert "Overdue study" not in response.content.decode()


def test_dashboard_shows_the_counts(review_pages, reviewer):
    html = logged_in(reviewer).get(reverse("wagtailadmin_home")).content.decode()
    assert '<strong data-count="overdue">1</strong> overdue' in html
    assert '<strong data-count="due_soon">1</strong> due in the next 30 days' in html
    assert '<strong data-count="not_reviewed">1</strong> live but never' in html
    assert "not linked to a clinician" not in html


def test_dashboard_tells_an_unlinked_reviewer_they_cannot_approve(
    review_pages, django_user_model
):
    unlinked = make_user(django_user_model, "rita", "Medical reviewers")
    html = logged_in(unlinked).get(reverse("wagtailadmin_home")).content.decode()
    assert "Your account is not linked to a clinician" in html


def test_page_listing_shows_review_status(review_pages, study_index, editor):
    url = reverse("wagtailadmin_explore", args=[study_index.pk])
    html = logged_in(editor).get(url).content.decode()
    assert 'data-review-status="overdue">Review overdue</span>' in html
    assert 'data-review-status="current">Review up to date</span>' in html
    assert 'data-review-status="not_reviewed">Not yet medically reviewed' in html


def test_review_reminders_email_the_medical_reviewers(review_pages, reviewer, editor):
    out = StringIO()
    call_command("review_reminders", stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.com"]
    assert message.subject == "Clinical review: 3 page(s) need a clinician"
    assert "Overdue (1):\n  - Overdue study (Study summary, due " in message.body
    assert "Due in the next 30 days (1):\n  - Soon study" in message.body
    assert "Live but never medically reviewed (1):\n  - Never reviewed" in message.body
    assert "Current study" not in message.body
    assert "/admin/reports/clinical-review-due/" in message.body
    assert "Sent “Clinical review: 3 page(s) need a clinician”" in out.getvalue()


def test_no_reminder_when_every_review_is_current(study_index, reviewer):
    study(study_index, "Current study", TODAY + datetime.timedelta(90))
    out = StringIO()
    call_command("review_reminders", stdout=out)
    assert mail.outbox == []
    assert "nothing sent" in out.getvalue()
