"""The loader brings the clinic's page in faithfully, once, and never clobbers edits."""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags
from wagtail.models import Page, Revision, Site

from cms.core.models import ClinicSettings, Condition
from cms.core.seed import SEED_FILE
from cms.core.tests.factories import publish_reviewed
from home.models import HomePage, ServicePage
from studies.models import StudySummaryPage

pytestmark = pytest.mark.django_db

RAW_SEED = SEED_FILE.read_text(encoding="utf-8")


def load() -> str:
    out = StringIO()
    call_command("load_clinic_content", stdout=out)
    return out.getvalue()


def seed_key_points() -> list[str]:
    """The numbered lines of the seed, read independently of the parser."""
    return re.findall(r"^\s+\d+\.\s+(.+?)\s*$", RAW_SEED, flags=re.MULTILINE)


def seed_paragraphs_between(start: str, end: str) -> list[str]:
    section = RAW_SEED.split(start, 1)[1].split(end, 1)[0]
    return [block.strip() for block in section.split("\n\n") if block.strip()]


@pytest.fixture
def loaded(db):
    output = load()
    return output


def test_first_run_reports_progress_and_creates_the_site(loaded):
    assert "Loading clinic content from 000_829f74ccfe789bce.txt" in loaded
    assert "created   service page: Ketamine and Pain Management" in loaded
    assert "Loaded: " in loaded
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.title == "Utah Ketamine Authority"


def test_second_run_changes_nothing_and_says_so(loaded):
    counts = (Page.objects.count(), Revision.objects.count(), Condition.objects.count())
    second = load()
    assert "Nothing to change" in second
    assert "created" not in second
    assert counts == (
        Page.objects.count(),
        Revision.objects.count(),
        Condition.objects.count(),
    )


def test_an_edited_page_is_kept_as_edited(loaded):
    service = ServicePage.objects.get()
    service.title = "Ketamine for chronic pain"
    publish_reviewed(service)
    output = load()
    assert "kept      service page: Ketamine and Pain Management" in output
    assert ServicePage.objects.get().title == "Ketamine for chronic pain"


def test_first_study_key_points_are_the_seed_sentences_in_order(loaded):
    study = StudySummaryPage.objects.get(title="Ketamine for pain management")
    points = [point.text for point in study.key_points.all()]
    assert len(points) == 5
    assert points == seed_key_points()


def test_second_study_keeps_the_quoted_paragraphs_in_order(loaded):
    study = StudySummaryPage.objects.get(
        title="Ketamine Use for Cancer and Chronic Pain Management"
    )
    expected = seed_paragraphs_between(
        "Ketamine Use for Cancer and Chronic Pain Management\n", "https://www.front"
    )
    assert [point.text for point in study.key_points.all()] == expected


def test_studies_carry_their_source_links_and_nothing_invented(loaded):
    first = StudySummaryPage.objects.get(title="Ketamine for pain management")
    second = StudySummaryPage.objects.get(title__startswith="Ketamine Use")
    assert first.pmcid == "PMC6181464"
    assert first.source_url == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6181464/"
    assert first.doi == ""
    assert second.doi == "10.3389/fphar.2020.599721"
    assert second.pmcid == ""
    for study in (first, second):
        assert (study.authors, study.journal, study.year, study.pmid) == (
            "",
            "",
            None,
            "",
        )
        assert (study.volume, study.issue, study.pages, study.study_design) == (
            "",
            "",
            "",
            "",
        )
        assert study.reviewed_by is None
        assert study.last_reviewed is None and study.next_review_due is None


def test_service_page_carries_the_seed_text_word_for_word(loaded):
    service = ServicePage.objects.get()
    assert service.title == "Ketamine and Pain Management"
    assert service.subtitle == "Ketamine and Treatment of Pain Management"
    assert service.related_studies_heading == "Resources and Relevant Studies"
    body_text = [
        html.unescape(strip_tags(block.value.source)) for block in service.body
    ]
    assert body_text == seed_paragraphs_between(
        "Ketamine and Treatment of Pain Management\n", "Resources and Relevant"
    )
    assert service.involves_ketamine
    assert service.reviewed_by is None


def test_service_page_structures_the_conditions_and_approaches(loaded):
    service = ServicePage.objects.get()
    assert sorted(c.name for c in service.conditions.all()) == [
        "Arthritis",
        "Back pain",
        "Cancer pain",
        "Headaches",
        "Nerve and muscle pain",
    ]
    approaches = [
        (a.kind, a.name, a.abbreviation, a.includes_family)
        for a in service.approaches.all()
    ]
    assert approaches == [
        ("plan", "Medications", "", False),
        ("plan", "Therapy", "", False),
        ("plan", "Injections", "", False),
        ("plan", "Exercise", "", False),
        ("therapy", "Positive Psychology", "", True),
        ("therapy", "Cognitive Behavioral Therapy", "CBT", True),
        ("therapy", "Acceptance and Commitment Therapy", "ACT", True),
        ("ketamine", "Integrated Ketamine Assisted Psychotherapy", "IKAP", False),
    ]
    for _, name, abbreviation, _ in approaches:
        assert name.lower() in RAW_SEED.lower()
        assert abbreviation in RAW_SEED
    assert [link.study.title for link in service.related_studies.all()] == [
        "Ketamine for pain management",
        "Ketamine Use for Cancer and Chronic Pain Management",
    ]


def test_clinic_settings_hold_only_the_name_and_the_stylesheet_colour(loaded):
    settings = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.clinic_name == "Utah Ketamine Authority"
    assert settings.brand_colour == "#0b5cad"
    assert (settings.phone, settings.street_address, settings.booking_url) == (
        "",
        "",
        "",
    )


def test_visitor_finds_the_service_from_the_home_page(loaded, client):
    response = client.get("/")
    assert response.status_code == 200
    assert re.search(
        r'<a href="/services/ketamine-and-pain-management/">'
        r"Ketamine and Pain Management</a>",
        response.content.decode(),
    )


def test_api_lists_both_studies_with_key_points_verbatim(loaded, client):
    listing = client.get("/api/v3/pages/", {"type": "studies.StudySummaryPage"})
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert sorted(item["title"] for item in items) == [
        "Ketamine Use for Cancer and Chronic Pain Management",
        "Ketamine for pain management",
    ]
    first = next(i for i in items if i["title"] == "Ketamine for pain management")
    detail = client.get(f"/api/v3/pages/{first['id']}/").json()
    assert [point["text"] for point in detail["key_points"]] == seed_key_points()
    assert detail["citation"]["pmc_url"] == (
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC6181464/"
    )


def test_editor_sees_what_the_seed_did_not_give(loaded, admin_client):
    study = StudySummaryPage.objects.get(title="Ketamine for pain management")
    response = admin_client.get(f"/admin/pages/{study.pk}/edit/")
    page_html = response.content.decode()
    assert response.status_code == 200
    assert "data-missing-information" in page_html
    # Said only of pages the loader made (an editor's new page is not told it).
    assert "Nothing here was invented when the page was imported" in page_html
    for missing in (
        "Authors: who wrote the study.",
        "Journal:",
        "Year published.",
        "Medical reviewer:",
        "Study design:",
    ):
        assert missing in page_html


def test_site_address_can_be_given_for_absolute_links(db, client):
    call_command(
        "load_clinic_content",
        "--site-hostname",
        "127.0.0.1",
        "--site-port",
        "8000",
        stdout=StringIO(),
    )
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8000"
    listing = client.get(
        "/api/v3/pages/", {"type": "home.ServicePage"}, HTTP_HOST="127.0.0.1:8000"
    )
    assert listing.json()["items"][0]["meta"]["html_url"] == (
        "http://127.0.0.1:8000/services/ketamine-and-pain-management/"
    )


def test_every_seed_page_has_a_meta_description_taken_from_its_own_text(loaded, client):
    service_html = client.get("/services/ketamine-and-pain-management/").content
    assert (
        '<meta name="description" content="Pain management is a series of '
        "approaches taken to alleviate chronic pain."
    ) in service_html.decode()
    study_html = client.get("/studies/ketamine-for-pain-management/").content.decode()
    assert (
        '<meta name="description" content="There is good evidence that '
        "perioperative ketamine"
    ) in study_html
    description = re.search(r'<meta name="description" content="([^"]*)"', study_html)
    assert len(description.group(1)) <= 160
    assert description.group(1).endswith("…")


def test_frontend_gets_the_seeded_menu_and_colour_from_the_site_endpoint(
    loaded, client
):
    site = client.get("/api/v3/site/").json()
    assert site["clinic_name"] == "Utah Ketamine Authority"
    assert site["brand_colour"] == "#0b5cad"
    assert [(item["title"], item["html_path"]) for item in site["navigation"]] == [
        (page.title, page.url)
        for page in Site.objects.get(is_default_site=True)
        .root_page.get_children()
        .live()
        .in_menu()
    ]
    assert "Services" in [item["title"] for item in site["navigation"]]
