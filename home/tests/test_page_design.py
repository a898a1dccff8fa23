"""What a visitor sees on the home and service pages: summary first, sections in a
fixed order, the disclaimer labelled "Important" before booking, contact in reach."""

import datetime
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from articles.tests.factories import ArticlePageFactory
from cms.core.models import ClinicSettings
from cms.core.seed import load_seed
from cms.core.tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    DisclaimerFactory,
    publish_reviewed,
)
from home.models import ServicePage, StandardPage
from home.tests.factories import ServiceIndexPageFactory, ServicePageFactory
from studies.evidence_guide import EVIDENCE_GUIDE_SLUG
from studies.models import StudySummaryPage
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory

pytestmark = pytest.mark.django_db

SECTION_ORDER = [
    "glance-heading",
    "contents-heading",
    "overview-heading",
    "who-heading",
    "risks-heading",
    "expect-heading",
    "help-heading",
    "studies-heading",
    "booking-heading",
]


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


@pytest.fixture
def contact(home_page):
    settings = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    settings.clinic_name = "Example Pain Clinic"
    settings.street_address = "1 Main Street"
    settings.locality = "Salt Lake City"
    settings.region = "UT"
    settings.postal_code = "84101"
    settings.phone = "(801) 555-0100"
    settings.opening_hours = "Mon–Fri 8am–5pm\nSat 9am–noon"
    settings.booking_url = "https://booking.example.org/"
    settings.save()
    return settings


@pytest.fixture
def ketamine_service(home_page, contact):
    study = StudySummaryPageFactory(
        parent=StudyIndexPageFactory(parent=home_page),
        title="Infusions for nerve pain",
        journal="Pain Med",
        year=2021,
        study_design="rct",
    )
    service = ServicePageFactory(
        parent=ServiceIndexPageFactory(parent=home_page),
        title="IV ketamine infusions",
        summary="Infusions of ketamine given in the clinic, with monitoring.",
        who_it_is_not_for="<p>People with uncontrolled high blood pressure.</p>",
        risks="<p>Dizziness and nausea are common.</p>",
        what_to_expect="<p>Each infusion takes about an hour.</p>",
        when_to_get_help="<p>Call us if you feel unwell afterwards.</p>",
        involves_ketamine=True,
        disclaimer=DisclaimerFactory(version="2026-11"),
        reviewed_by=ClinicianFactory(name="Sam Lee", credentials="DO"),
        last_reviewed=datetime.date(2026, 2, 1),
        next_review_due=datetime.date(2027, 2, 1),
    )
    service.conditions.set(
        [ConditionFactory(name="Fibromyalgia"), ConditionFactory(name="Back pain")]
    )
    service.related_studies.create(study=study)
    publish_reviewed(service)
    return ServicePage.objects.get(pk=service.pk)


def test_service_sections_come_in_the_fixed_order(ketamine_service, client):
    page_html = client.get(ketamine_service.url).content.decode()
    positions = [page_html.index(f'id="{anchor}"') for anchor in SECTION_ORDER]
    assert positions == sorted(positions)
    soup = BeautifulSoup(page_html, "html.parser")
    headings = [text_of(h) for h in soup.select("main h2")]
    assert headings[:2] == ["At a glance", "On this page"]
    assert headings[2:7] == [
        "Overview",
        "Who it is for and not for",
        "Risks and side effects",
        "What to expect",
        "When to get help",
    ]


def test_at_a_glance_says_what_it_is_who_it_is_for_and_that_it_is_off_label(
    ketamine_service, client
):
    glance = soup_of(client.get(ketamine_service.url)).select_one(".at-a-glance")
    facts = {text_of(row.dt): text_of(row.dd) for row in glance.select("dl > div")}
    assert facts["What it is"] == (
        "Infusions of ketamine given in the clinic, with monitoring."
    )
    assert facts["Who it is for"].startswith("People with one of these conditions: ")
    assert "Fibromyalgia" in facts["Who it is for"]
    assert "Back pain" in facts["Who it is for"]
    assert glance.select_one('a[href="#who-heading"]').get_text() == (
        "Who it is not for"
    )
    assert facts["Off-label use"].startswith(
        "This service uses ketamine “off label”: for a use it is not approved for."
    )


def test_a_service_without_ketamine_has_no_off_label_line(home_page, client):
    service = ServicePageFactory(
        parent=ServiceIndexPageFactory(parent=home_page), title="Physiotherapy"
    )
    page_html = client.get(service.url).content.decode()
    assert "At a glance" in page_html
    assert "Off-label use" not in page_html
    # The body's first paragraph says what it is when there is no summary.
    glance = BeautifulSoup(page_html, "html.parser").select_one(".at-a-glance")
    assert "How the example service works." in text_of(glance)


def test_the_disclaimer_is_labelled_important_near_the_top_and_before_booking(
    ketamine_service, client
):
    soup = soup_of(client.get(ketamine_service.url))
    notices = soup.select('[role="note"].callout--important')
    assert len(notices) == 2
    for notice in notices:
        label = soup.find(id=notice["aria-labelledby"])
        assert text_of(label) == "Important"
        assert "Ketamine is not FDA-approved for chronic pain" in text_of(notice)
        assert notice["data-disclaimer-version"] == "2026-11"
    page_html = str(soup)
    first, second = (page_html.index(str(notice)) for notice in notices)
    # Seen before the page's first section, and again just above the button.
    assert first < page_html.index('id="overview-heading"')
    booking = soup.select_one("section.booking")
    assert notices[1] in booking.find_all("div")
    # Above the booking section's own button (the header's Book button is on
    # every page, above everything).
    booking_html = str(booking)
    assert booking_html.index(str(notices[1])) < booking_html.index(
        'href="https://booking.example.org/"'
    )
    assert first < second


def test_on_this_page_links_each_section_shown(ketamine_service, client):
    soup = soup_of(client.get(ketamine_service.url))
    links = soup.select(".on-this-page a")
    assert [text_of(a) for a in links] == [
        "Overview",
        "Who it is for and not for",
        "Risks and side effects",
        "What to expect",
        "When to get help",
        "Resources and relevant studies",
        "Book a consultation",
    ]
    for link in links:
        assert soup.find(id=link["href"].removeprefix("#")) is not None, link


def test_empty_sections_are_neither_shown_nor_listed(home_page, client):
    service = ServicePageFactory(
        parent=ServiceIndexPageFactory(parent=home_page), risks="<p>Some risk.</p>"
    )
    soup = soup_of(client.get(service.url))
    assert [text_of(a) for a in soup.select(".on-this-page a")] == [
        "Overview",
        "Risks and side effects",
        "Book a consultation",
    ]
    assert soup.find(id="expect-heading") is None


def test_related_studies_are_cards_with_journal_year_and_design(
    ketamine_service, client
):
    soup = soup_of(client.get(ketamine_service.url))
    (card,) = soup.select("#studies-heading ~ ul .card")
    assert text_of(card.select_one("h3")) == "Infusions for nerve pain"
    assert text_of(card.select_one(".card-meta")) == "Pain Med · 2021"
    assert text_of(card.select_one(".chip")) == "Randomised controlled trial"
    assert text_of(card.select_one(".badge")) == (
        "Level of evidence: Strong: randomised trial"
    )


def test_booking_call_to_action_offers_the_link_and_the_phone(ketamine_service, client):
    booking = soup_of(client.get(ketamine_service.url)).select_one("section.booking")
    button = booking.select_one("a.button")
    assert button["href"] == "https://booking.example.org/"
    assert text_of(button) == "Book a consultation"
    assert booking.select_one('a[href="tel:(801) 555-0100"]') is not None


def test_pages_stylesheet_is_linked_after_the_site_stylesheet(home_page, client):
    page_html = client.get("/").content.decode()
    assert page_html.index("core/site.css") < page_html.index("core/pages.css")


# Home page -----------------------------------------------------------------


def test_home_heading_is_its_own_not_the_clinic_name(home_page, contact, client):
    home_page.heading = "Care for long-lasting pain"
    home_page.intro = "<p>We help people live with less pain.</p>"
    home_page.save_revision().publish()
    soup = soup_of(client.get("/"))
    assert text_of(soup.h1) == "Care for long-lasting pain"
    assert "Example Pain Clinic" not in text_of(soup.h1)
    assert "We help people live with less pain." in text_of(soup.select_one(".hero"))


def test_home_heading_falls_back_to_the_tagline(home_page, client):
    home_page.heading = ""
    home_page.tagline = "Pain care in Utah"
    home_page.save_revision().publish()
    assert text_of(soup_of(client.get("/")).h1) == "Pain care in Utah"


def test_home_shows_service_cards_latest_articles_and_studies(clinic, client):
    soup = soup_of(client.get("/"))
    services = soup.find(id="services-heading").find_parent("section")
    (service,) = services.select(".card")
    assert text_of(service.h3) == "IV ketamine"
    assert "Infusions for chronic pain, with monitoring." in text_of(service)
    assert service.select_one("picture img") is not None
    articles = soup.find(id="articles-heading").find_parent("section")
    assert [text_of(card.h3) for card in articles.select(".card")] == ["Sleep and pain"]
    studies = soup.find(id="latest-studies-heading").find_parent("section")
    (study,) = studies.select(".card")
    assert text_of(study.h3) == "Ketamine for chronic pain: a review"
    assert text_of(study.select_one(".card-meta")) == "Reg Anesth Pain Med · 2018"


def test_home_contact_block_gives_phone_address_and_hours(home_page, contact, client):
    block = soup_of(client.get("/")).select_one(".contact-block")
    assert text_of(block.h2) == "Contact us"
    assert block.select_one('a[href="tel:(801) 555-0100"]').get_text() == (
        "(801) 555-0100"
    )
    assert text_of(block.address) == "1 Main Street Salt Lake City, UT 84101"
    assert [text_of(li) for li in block.select("ul li")] == [
        "Mon–Fri 8am–5pm",
        "Sat 9am–noon",
    ]


def test_home_has_no_contact_block_without_contact_details(home_page, client):
    assert soup_of(client.get("/")).select_one(".contact-block") is None


def test_home_queries_do_not_grow_with_its_cards(clinic, client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    def add_cards(batch: int) -> None:
        for number in range(3):
            ArticlePageFactory(
                parent=clinic["articles"],
                title=f"More {batch}.{number}",
                summary="More.",
            )
            StudySummaryPageFactory(
                parent=clinic["studies"], title=f"Study {batch}.{number}"
            )
            ServicePageFactory(
                parent=clinic["services"], title=f"Service {batch}.{number}"
            )

    # Measured after a first batch: creating pages warms per-process caches
    # (content types) that the first request would otherwise fill itself.
    add_cards(1)
    count_queries()
    few = count_queries()
    add_cards(2)
    assert count_queries() == few


def test_home_lists_the_three_newest_articles(clinic, client):
    for day in range(1, 5):
        ArticlePageFactory(
            parent=clinic["articles"],
            title=f"April {day}",
            date=datetime.date(2026, 4, day),
        )
    soup = soup_of(client.get("/"))
    articles = soup.find(id="articles-heading").find_parent("section")
    assert [text_of(card.h3) for card in articles.select(".card")] == [
        "April 4",
        "April 3",
        "April 2",
    ]


# The clinic's own content ----------------------------------------------------


def test_loader_gives_home_its_heading_and_creates_the_evidence_guide(db, client):
    call_command("load_clinic_content", stdout=StringIO())
    seed = load_seed()
    soup = soup_of(client.get("/"))
    assert text_of(soup.h1) == seed.service_subtitle
    assert text_of(soup.select_one(".hero .lead")) == seed.service_paragraphs[0]

    guide = StandardPage.objects.get(slug=EVIDENCE_GUIDE_SLUG)
    assert guide.live and guide.title == "About our evidence levels"
    guide_soup = soup_of(client.get(guide.url))
    levels = [text_of(h) for h in guide_soup.select("main h2")]
    assert "Strongest: review of randomised trials" in levels
    assert "Laboratory or animal study: not evidence in people" in levels
    # Every study page's badge leads there.
    study = StudySummaryPage.objects.live().first()
    card = soup_of(client.get(study.url)).select_one(".citation-card")
    assert card.select_one("a.badge")["href"] == guide.url

    # Run again: nothing is created twice, and an editor's change is kept.
    guide.title = "How we grade evidence"
    guide.save_revision().publish()
    output = StringIO()
    call_command("load_clinic_content", stdout=output)
    assert StandardPage.objects.filter(slug=EVIDENCE_GUIDE_SLUG).count() == 1
    assert StandardPage.objects.get(slug=EVIDENCE_GUIDE_SLUG).title == (
        "How we grade evidence"
    )
    assert "created" not in output.getvalue()
