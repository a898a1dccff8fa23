"""Home, service and general pages render every field a visitor needs."""

import datetime

import pytest
from wagtail.models import PageViewRestriction, Site

from cms.core.models import ClinicSettings
from cms.core.tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    DisclaimerFactory,
    publish_reviewed,
)
from home.models import ServicePage
from home.tests.factories import (
    ServiceIndexPageFactory,
    ServicePageFactory,
    StandardPageFactory,
)
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(home_page):
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
def full_service(home_page, clinic):
    index = ServiceIndexPageFactory(parent=home_page, intro="<p>What we offer.</p>")
    study = StudySummaryPageFactory(
        parent=StudyIndexPageFactory(parent=home_page), title="Supporting study"
    )
    service = ServicePageFactory(
        parent=index,
        title="IV ketamine infusions",
        subtitle="For chronic pain",
        summary="Infusions given in the clinic.",
        who_it_is_not_for="<p>People with uncontrolled high blood pressure.</p>",
        risks="<p>Dizziness and nausea are common.</p>",
        what_to_expect="<p>Each infusion takes about an hour.</p>",
        when_to_get_help="<p>Call us if you feel unwell afterwards.</p>",
        involves_ketamine=True,
        disclaimer=DisclaimerFactory(version="2026-11"),
        booking_heading="Book an assessment",
        booking_text="We will check whether this is right for you.",
        reviewed_by=ClinicianFactory(name="Sam Lee", credentials="DO"),
        last_reviewed=datetime.date(2026, 2, 1),
        next_review_due=datetime.date(2027, 2, 1),
    )
    service.conditions.set([ConditionFactory(name="Fibromyalgia")])
    service.approaches.create(
        kind="therapy",
        name="Cognitive Behavioral Therapy",
        abbreviation="CBT",
        description="Talking therapy.",
        includes_family=True,
    )
    service.related_studies.create(study=study)
    publish_reviewed(service)
    return ServicePage.objects.get(pk=service.pk)


def test_service_page_shows_every_field(full_service, client):
    response = client.get(full_service.url)
    page_html = response.content.decode()
    assert response.status_code == 200
    for visible in (
        "<h1>IV ketamine infusions</h1>",
        "For chronic pain",
        "How the example service works.",
        "Fibromyalgia",
        "<strong>Cognitive Behavioral Therapy (CBT)</strong>: Talking therapy.",
        "Family members can take part.",
        "People with uncontrolled high blood pressure.",
        "Dizziness and nausea are common.",
        "Each infusion takes about an hour.",
        "Call us if you feel unwell afterwards.",
        ">Supporting study</a>",
        "Book an assessment",
        "We will check whether this is right for you.",
        'data-disclaimer-version="2026-11"',
        "Ketamine is not FDA-approved for chronic pain",
        'href="https://booking.example.org/"',
        "Medically reviewed by",
        "Sam Lee, DO",
        '<time datetime="2026-02-01">1 February 2026</time>',
        '<time datetime="2027-02-01">1 February 2027</time>',
    ):
        assert visible in page_html, visible


def test_links_only_studies_and_services_a_visitor_can_open(full_service, client):
    studies = full_service.public_related_studies[0].get_parent()
    private = StudySummaryPageFactory(parent=studies, title="Private study")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    draft = StudySummaryPageFactory(parent=studies, title="Draft study")
    draft.unpublish()
    for study in (private, draft):
        full_service.related_studies.create(study=study)
    publish_reviewed(full_service)

    page_html = client.get(full_service.url).content.decode()
    assert ">Supporting study</a>" in page_html
    # Neither the links nor the JSON-LD citations name what visitors cannot open.
    assert "Private study" not in page_html
    assert "Draft study" not in page_html

    # A private service that cites a public study is not listed on the study.
    private_service = ServicePageFactory(
        parent=full_service.get_parent(), title="Members-only infusions"
    )
    private_service.related_studies.create(study=full_service.public_related_studies[0])
    publish_reviewed(private_service)
    study_html = client.get(full_service.public_related_studies[0].url).content
    assert "Members-only infusions" in study_html.decode()
    PageViewRestriction.objects.create(
        page=private_service, restriction_type=PageViewRestriction.LOGIN
    )
    study_html = client.get(full_service.public_related_studies[0].url).content
    assert "Members-only infusions" not in study_html.decode()
    assert "IV ketamine infusions" in study_html.decode()


def test_body_blocks_do_not_name_or_link_pages_a_visitor_cannot_open(
    full_service, client
):
    public = full_service.public_related_studies[0]
    private = StudySummaryPageFactory(parent=public.get_parent(), title="Private study")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    cta = {"heading": "Read more", "text": "", "url": "", "button_label": "Open it"}
    full_service.body = [
        ("study_reference", {"study": public, "note": "A review"}),
        ("study_reference", {"study": private, "note": "Members only"}),
        ("call_to_action", {**cta, "page": public}),
        ("call_to_action", {**cta, "heading": "Hidden target", "page": private}),
    ]
    publish_reviewed(full_service)

    page_html = client.get(full_service.url).content.decode()
    assert f'Evidence: <a href="{public.url}">Supporting study</a>' in page_html
    assert page_html.count(f'<a class="button" href="{public.url}">Open it</a>') == 1
    assert "Private study" not in page_html
    assert private.url not in page_html
    assert "Members only" not in page_html
    assert "Hidden target" in page_html  # the block's own words stay


def test_disclaimer_comes_before_the_booking_button(full_service, client):
    page_html = client.get(full_service.url).content.decode()
    # The header's "Book a consultation" is on every page (issue 15); within
    # the page's own content the disclaimer still comes first.
    main_html = page_html[page_html.index('<main id="main"') :]
    assert main_html.index("data-disclaimer-version") < main_html.index(
        'href="https://booking.example.org/"'
    )


def test_unreviewed_clinical_page_says_so(home_page, client):
    service = ServicePageFactory(parent=ServiceIndexPageFactory(parent=home_page))
    page_html = client.get(service.url).content.decode()
    assert "This page has not yet been medically reviewed." in page_html


def test_frame_has_navigation_footer_and_seo_tags(full_service, clinic, client):
    index = full_service.get_parent().specific
    index.show_in_menus = True
    index.save_revision().publish()
    page_html = client.get(full_service.url).content.decode()
    assert '<a class="skip-link" href="#main">' in page_html
    assert f'<a href="{index.url}">Services</a>' in page_html
    assert "<title>IV ketamine infusions | Example Pain Clinic</title>" in page_html
    assert '<meta name="description" content="Infusions given in the clinic.">' in (
        page_html
    )
    assert f'<link rel="canonical" href="{full_service.full_url}">' in page_html
    assert '<meta property="og:title" content="IV ketamine infusions">' in page_html
    for footer in (
        "1 Main Street",
        "Salt Lake City, UT 84101",
        'href="tel:8015550100">(801) 555-0100</a>',
        "Mon–Fri 8am–5pm",
        "Sat 9am–noon",
        'href="tel:988"',
    ):
        assert footer in page_html, footer


def test_home_page_lists_services(full_service, home_page, client):
    home_page.tagline = "Pain care in Utah"
    home_page.intro = "<p>Welcome to the clinic.</p>"
    home_page.body = [{"type": "heading", "value": {"text": "Visit us", "level": "h2"}}]
    home_page.save_revision().publish()
    page_html = client.get("/").content.decode()
    for visible in (
        "Pain care in Utah",
        "Welcome to the clinic.",
        "<h2>Visit us</h2>",
        f'<a href="{full_service.url}">IV ketamine infusions</a>',
        "Infusions given in the clinic.",
    ):
        assert visible in page_html


def test_service_index_lists_live_services_and_has_an_empty_state(home_page, client):
    index = ServiceIndexPageFactory(parent=home_page)
    assert "No services are published yet." in client.get(index.url).content.decode()
    ServicePageFactory(parent=index, title="Therapy")
    draft = ServicePageFactory(parent=index, title="Secret draft")
    draft.unpublish()
    page_html = client.get(index.url).content.decode()
    assert ">Therapy</a>" in page_html
    assert "Secret draft" not in page_html


def test_standard_page_renders(home_page, client):
    page = StandardPageFactory(parent=home_page, title="About us", intro="Who we are.")
    page_html = client.get(page.url).content.decode()
    assert "<h1>About us</h1>" in page_html
    assert "Who we are." in page_html
    assert "About the example clinic." in page_html


def test_unknown_address_gets_the_site_404(home_page, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_service_listing_queries_do_not_grow_with_its_length(home_page, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def render(index):
        client.get(index.url)  # warm up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index.url).status_code == 200
        return len(captured)

    small = ServiceIndexPageFactory(parent=home_page, slug="small")
    large = ServiceIndexPageFactory(parent=home_page, slug="large")
    for number in range(5):
        ServicePageFactory(parent=small, title=f"Small {number}")
    for number in range(50):
        ServicePageFactory(parent=large, title=f"Large {number}")
    assert render(small) == render(large)


def jsonld_graph(page_html: str) -> list[dict]:
    import json
    import re

    [script] = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page_html, re.S
    )
    return json.loads(script)["@graph"]


def test_jsonld_states_the_reviewer_and_dates_the_page_shows(full_service, client):
    page_html = client.get(full_service.url).content.decode()
    graph = jsonld_graph(page_html)
    types = [node["@type"] for node in graph]
    assert types == [
        "MedicalClinic",
        "WebSite",
        "MedicalWebPage",
        "MedicalTherapy",
        "BreadcrumbList",
    ]
    webpage = graph[2]
    assert webpage["@id"] == full_service.full_url
    assert webpage["lastReviewed"] == "2026-02-01"
    assert '<time datetime="2026-02-01">' in page_html
    assert webpage["reviewedBy"] == {
        "@type": "Person",
        "name": "Sam Lee",
        "honorificSuffix": "DO",
        "jobTitle": "Medical director",
    }
    assert "Sam Lee, DO" in page_html
    therapy = graph[3]
    assert therapy["drug"]["name"] == "Ketamine"
    assert [c["name"] for c in therapy["indication"]] == ["Fibromyalgia"]
    clinic = graph[0]
    assert clinic["name"] == "Example Pain Clinic"
    assert clinic["telephone"] == "(801) 555-0100"
    assert clinic["address"]["streetAddress"] == "1 Main Street"
    crumbs = graph[4]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[-1]["item"] == full_service.full_url


def test_server_error_page_is_in_the_site_design_and_needs_no_database(client):
    from django.test import override_settings
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    urlpatterns = [path("broken/", broken)]
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=type("urls", (), {"urlpatterns": urlpatterns})):
        response = client.get("/broken/")
    page_html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in page_html
    assert "/static/core/site.css" in page_html
    assert 'href="tel:988"' in page_html
