"""The clinic's content in Chromium: axe-clean, keyboard-usable, readable at 320 px."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from cms.core.tests.factories import publish_reviewed

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Beyond WCAG tags: one h1, ordered headings, content inside landmarks.
STRUCTURE_RULES = [
    "page-has-heading-one",
    "heading-order",
    "landmark-one-main",
    "region",
]
CLINIC_PATHS = [
    "/",
    "/services/",
    "/services/ketamine-and-pain-management/",
    "/studies/",
    "/studies/?evidence=2",
    "/studies/ketamine-for-pain-management/",
    "/studies/ketamine-use-for-cancer-and-chronic-pain-management/",
    "/articles/",
    "/consultation/",
    "/consultation/thanks/",
    "/search/?q=ketamine",
    "/search/?q=nothing-matches-this",
]


def axe_violations(page, **options) -> list:
    results = Axe().run(page, options=options)
    return [
        (v["id"], [node["target"] for node in v["nodes"]])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("path", CLINIC_PATHS)
def test_clinic_page_has_no_axe_violations(clinic_site, browser_page, path):
    response = browser_page.goto(clinic_site.url + path)
    assert response.status == 200
    assert (
        axe_violations(browser_page, runOnly={"type": "tag", "values": WCAG_TAGS}) == []
    )
    assert (
        axe_violations(
            browser_page, runOnly={"type": "rule", "values": STRUCTURE_RULES}
        )
        == []
    )


def test_not_found_page_has_no_axe_violations(clinic_site, browser_page):
    response = browser_page.goto(clinic_site.url + "/no-such-page/")
    assert response.status == 404
    assert (
        axe_violations(browser_page, runOnly={"type": "tag", "values": WCAG_TAGS}) == []
    )


def test_form_with_errors_has_no_axe_violations(clinic_site, browser_page):
    browser_page.goto(clinic_site.url + "/consultation/")
    browser_page.get_by_role("button", name="Send request").click()
    browser_page.get_by_text("There is a problem with your request").wait_for()
    assert (
        axe_violations(browser_page, runOnly={"type": "tag", "values": WCAG_TAGS}) == []
    )


@pytest.mark.parametrize("path", ["/", "/services/ketamine-and-pain-management/"])
def test_pages_reflow_at_320_pixels(clinic_site, browser_page, path):
    browser_page.set_viewport_size({"width": 320, "height": 640})
    browser_page.goto(clinic_site.url + path)
    scroll_width = browser_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320


def test_keyboard_only_visitor_requests_a_consultation(clinic_site, browser_page):
    page = browser_page
    page.goto(clinic_site.url + "/")
    # The skip link comes first, and focus is visible on it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == (
        "Skip to main content"
    )
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    for _ in range(20):  # bounded: the menu link is a few tabs away
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == (
            "Request a consultation"
        ):
            break
    else:
        pytest.fail("The consultation link is not reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/consultation/")

    def tab_to(label):
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate(
                "document.activeElement.labels && document.activeElement.labels[0]"
                " && document.activeElement.labels[0].textContent"
            ) and label in page.evaluate(
                "document.activeElement.labels[0].textContent"
            ):
                return
        pytest.fail(f"No field labelled {label!r} reachable by keyboard")

    tab_to("Your name")
    page.keyboard.type("Pat Doe")
    tab_to("Phone number")
    page.keyboard.type("801-555-0199")
    tab_to("I agree to be contacted")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Send request"
    page.keyboard.press("Enter")
    page.wait_for_url("**/consultation/thanks/")
    assert "?" not in page.url
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Thank you: your request was sent"
    )


def test_jsonld_parses_and_agrees_with_the_visible_review(clinic_site, browser_page):
    browser_page.goto(clinic_site.url + "/studies/ketamine-for-pain-management/")
    scripts = browser_page.locator('script[type="application/ld+json"]')
    assert scripts.count() == 1
    graph = json.loads(scripts.inner_text())["@graph"]
    webpage = next(node for node in graph if node["@type"] == "MedicalWebPage")
    assert webpage["url"] == browser_page.url
    assert webpage["name"] == browser_page.get_by_role("heading", level=1).inner_text()
    # The seed names no reviewer: the page says so, and the JSON-LD claims none.
    assert browser_page.get_by_text(
        "This page has not yet been medically reviewed."
    ).is_visible()
    assert "reviewedBy" not in webpage and "lastReviewed" not in webpage
    paper = next(n for n in graph if n["@type"] == "MedicalScholarlyArticle")
    assert paper["@id"] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC6181464/"
    crumbs = next(n for n in graph if n["@type"] == "BreadcrumbList")
    visible = browser_page.locator("nav.breadcrumbs li").all_inner_texts()
    assert [item["name"] for item in crumbs["itemListElement"]] == visible


@pytest.fixture
def every_block_article(clinic_site):
    """An article and a general page using every body block (the video embed needs
    the network, so it is left out), with an author and a reviewer."""
    import datetime

    import wagtail_factories

    from articles.models import ArticleIndexPage
    from articles.tests.factories import ArticlePageFactory
    from cms.core.tests.factories import ClinicianFactory
    from home.models import HomePage
    from home.tests.factories import StandardPageFactory
    from studies.models import StudySummaryPage

    study = StudySummaryPage.objects.first()
    image = wagtail_factories.ImageFactory(file__width=1200, file__height=800)
    body = [
        {"type": "heading", "value": {"text": "What it is", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Plain words about treatment.</p>"},
        {"type": "heading", "value": {"text": "In detail", "level": "h3"}},
        {
            "type": "image",
            "value": {
                "image": {
                    "image": image.pk,
                    "alt_text": "A calm treatment room",
                    "decorative": False,
                },
                "caption": "Our treatment room",
            },
        },
        {
            "type": "callout",
            "value": {
                "tone": "safety",
                "title": "Get help",
                "text": "<p>Call 988.</p>",
            },
        },
        {
            "type": "key_points",
            "value": {"heading": "Key points", "points": ["One.", "Two."]},
        },
        {
            "type": "faq",
            "value": {
                "heading": "Questions",
                "items": [{"question": "Does it hurt?", "answer": "<p>Rarely.</p>"}],
            },
        },
        {"type": "quote", "value": {"quote": "It helped.", "attribution": "A patient"}},
        {
            "type": "call_to_action",
            "value": {
                "heading": "Talk to us",
                "text": "We can help.",
                "button_label": "Request a consultation",
                "page": None,
                "url": "https://booking.example.org/",
            },
        },
        {"type": "study_reference", "value": {"study": study.pk, "note": "A review"}},
    ]
    reviewer = ClinicianFactory(name="Ana Reyes", credentials="MD")
    article = ArticlePageFactory(
        parent=ArticleIndexPage.objects.get(),
        title="Living with chronic pain",
        summary="Everyday steps that help.",
        body=body,
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2026, 1, 5),
        next_review_due=datetime.date(2027, 1, 5),
    )
    article.authors.create(clinician=reviewer)
    article.tags.add("sleep")
    publish_reviewed(article)
    standard = StandardPageFactory(
        parent=HomePage.objects.get(), title="About the clinic", body=body
    )
    return article, standard


def test_every_block_and_page_type_has_no_axe_violations(
    every_block_article, clinic_site, browser_page
):
    article, standard = every_block_article
    for page in (article, standard):
        response = browser_page.goto(clinic_site.url + page.url)
        assert response.status == 200
        assert browser_page.locator("picture img").get_attribute("alt") == (
            "A calm treatment room"
        )
        assert (
            axe_violations(browser_page, runOnly={"type": "tag", "values": WCAG_TAGS})
            == []
        )
        assert (
            axe_violations(
                browser_page, runOnly={"type": "rule", "values": STRUCTURE_RULES}
            )
            == []
        )
    listing = browser_page.goto(clinic_site.url + "/articles/?tag=sleep")
    assert listing.status == 200
    assert (
        axe_violations(browser_page, runOnly={"type": "tag", "values": WCAG_TAGS}) == []
    )
