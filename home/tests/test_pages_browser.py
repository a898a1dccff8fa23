"""The clinic's page templates in Chromium: nothing scrolls sideways at 320 px, and a
service page prints as a handout: no page navigation, links written out, review kept."""

import pytest

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 800}
SERVICE = "/services/ketamine-and-pain-management/"
PAGES_AT_320 = [
    "/",
    SERVICE,
    "/studies/",
    "/studies/ketamine-use-for-cancer-and-chronic-pain-management/",
    "/evidence-levels/",
]


@pytest.mark.parametrize("path", PAGES_AT_320)
def test_nothing_scrolls_sideways_at_320_px(clinic_site, browser_page, path):
    browser_page.set_viewport_size(NARROW)
    assert browser_page.goto(clinic_site.url + path).status == 200
    width = browser_page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{path} is {width} px wide"
    # Every form control and long link (the filters, a DOI) ends inside the screen.
    overflowing = browser_page.evaluate(
        """() => [...document.querySelectorAll('main select, main a, main button')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert overflowing == []


def test_study_filters_fit_a_320_px_screen(clinic_site, browser_page):
    browser_page.set_viewport_size(NARROW)
    browser_page.goto(clinic_site.url + "/studies/")
    box = browser_page.locator("#filter-evidence").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= NARROW["width"]


def test_service_page_prints_as_a_handout(clinic_site, browser_page):
    browser_page.goto(clinic_site.url + SERVICE)
    browser_page.emulate_media(media="print")
    assert not browser_page.locator(".on-this-page").is_visible()
    assert browser_page.locator(".review-line").is_visible()
    assert browser_page.locator(".at-a-glance").is_visible()
    study_link = browser_page.locator(".page-article .card-title a").first
    href = study_link.get_attribute("href")
    after = study_link.evaluate(
        "el => getComputedStyle(el, '::after').getPropertyValue('content')"
    )
    assert after == f'" ({href})"'
