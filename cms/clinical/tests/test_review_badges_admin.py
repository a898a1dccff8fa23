"""The review badges where editors meet them: listing, report and dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from cms.core.tests.factories import ClinicianFactory
from cms.core.tests.helpers import logged_in
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def reviewed_study(index, title, next_due):
    return StudySummaryPageFactory(
        parent=index,
        title=title,
        reviewed_by=ClinicianFactory(name=f"Reviewer of {title}"),
        last_reviewed=next_due - datetime.timedelta(days=700),
        next_review_due=next_due,
    )


@pytest.fixture
def studies(study_index):
    reviewed_study(study_index, "Overdue study", TODAY - datetime.timedelta(1))
    reviewed_study(study_index, "Soon study", TODAY + datetime.timedelta(10))
    reviewed_study(study_index, "Current study", TODAY + datetime.timedelta(90))
    StudySummaryPageFactory(parent=study_index, title="Never reviewed")
    return study_index


def badges(html):
    soup = WagtailTestUtils.get_soup(html)
    return {
        badge.get_text(strip=True): badge["class"]
        for badge in soup.select(".review-badge")
    }


def test_the_page_listing_colours_each_status(studies, editor):
    url = reverse("wagtailadmin_explore", args=[studies.pk])
    shown = badges(logged_in(editor).get(url).content.decode())
    assert shown == {
        "Review overdue": ["review-badge", "review-badge--overdue"],
        "Review due soon": ["review-badge", "review-badge--due_soon"],
        "Review up to date": ["review-badge", "review-badge--current"],
        "Not yet medically reviewed": ["review-badge", "review-badge--not_reviewed"],
    }


def test_the_report_colours_each_status(studies, editor):
    html = logged_in(editor).get("/admin/reports/clinical-review-due/").content
    shown = badges(html.decode())
    assert shown == {
        "Review overdue": ["review-badge", "review-badge--overdue"],
        "Review due soon": ["review-badge", "review-badge--due_soon"],
        "Not yet medically reviewed": ["review-badge", "review-badge--not_reviewed"],
    }


def test_the_dashboard_counts_are_badges_too(studies, reviewer):
    html = logged_in(reviewer).get(reverse("wagtailadmin_home")).content.decode()
    shown = badges(html)
    assert shown["1overdue"] == ["review-badge", "review-badge--overdue"]
    assert shown["1live but never reviewed"] == [
        "review-badge",
        "review-badge--not_reviewed",
    ]


def test_the_admin_stylesheet_is_on_every_admin_page(editor):
    html = logged_in(editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "core/admin/admin.css" in html
