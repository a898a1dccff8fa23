"""Issue 16: generated pages never reach what speaks for the clinic beyond their
own site: the clinical review report, its CSV, the dashboard, the article feed,
and webhooks."""

import csv
import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from cms.clinical.records import ClinicalFlag
from cms.publishing.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from studies.models import StudySummaryPage
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/clinical-review-due/"
FEED = "/feeds/articles.xml"
HOST = {"HTTP_HOST": "synthetic.localhost"}


def generate(*args) -> None:
    call_command("generate_demo_content", *args, stdout=io.StringIO())


@pytest.fixture
def listening(db):
    """An endpoint that wants every event about every page type."""
    return WebhookEndpoint.objects.create(
        name="Listens to everything",
        url="https://hooks.example.org/clinic",
        secret="s" * 32,
        events=[choice.value for choice in WebhookEvent],
    )


@pytest.fixture
def demo(clinic, settings):
    """The clinic, plus generated pages: never reviewed, so "due" if listed;
    one of them flagged, as a removed citation would flag it."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver", "synthetic.localhost"]
    generate("--studies", "6", "--articles", "4")
    flagged = StudySummaryPage.objects.filter(synthetic_marker__isnull=False).first()
    ClinicalFlag.objects.create(
        page=flagged,
        kind=ClinicalFlag.Kind.CITATION_REMOVED,
        message="A cited study was removed.",
    )
    return clinic


def test_the_review_report_and_its_csv_list_no_synthetic_page(demo, admin_client):
    # The clinic's own unreviewed page is listed: the check can fail.
    StudySummaryPageFactory(parent=demo["studies"], title="Clinic study, unreviewed")
    html = admin_client.get(REPORT).content.decode()
    response = admin_client.get(REPORT, {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    titles = [row["Page"] for row in csv.DictReader(io.StringIO(content))]

    assert "Clinic study, unreviewed" in html
    assert "Synthetic" not in html
    assert titles == ["Clinic study, unreviewed"]


def test_the_dashboard_counts_no_synthetic_page(demo, admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert 'data-count="not_reviewed">0<' in html
    assert 'data-count="citation_removed">0<' in html


def test_the_article_feed_has_no_synthetic_article_on_any_site(demo, client):
    clinic_feed = client.get(FEED).content.decode()
    own_feed = client.get(FEED, **HOST).content.decode()
    assert "<title>Sleep and pain</title>" in clinic_feed
    assert "Synthetic" not in clinic_feed.replace("Synthetic demo content", "")
    assert "Synthetic article" not in own_feed
    # The site's own listing does show them: the feed leaves them out itself.
    assert (
        "Synthetic article 00001" in client.get("/articles/", **HOST).content.decode()
    )


def test_generating_and_removing_send_no_webhook(clinic, listening, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", "synthetic.localhost"]
    generate("--studies", "5", "--articles", "3")
    assert Page.objects.filter(synthetic_marker__isnull=False).count() == 11
    generate("--remove")
    assert not WebhookDelivery.objects.exists()


def test_the_endpoint_would_hear_of_a_clinic_publish(clinic, listening):
    """The check above can fail: the same endpoint hears of a real publish."""
    clinic["article"].save_revision().publish()
    assert WebhookDelivery.objects.filter(event=WebhookEvent.PAGE_PUBLISHED).exists()
