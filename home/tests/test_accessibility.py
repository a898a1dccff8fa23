"""Every page of the clinic's content, in Chromium, passes axe-core's WCAG rules."""

import pytest
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CLINIC_PATHS = [
    "/",
    "/services/",
    "/services/ketamine-and-pain-management/",
    "/studies/",
    "/studies/ketamine-for-pain-management/",
    "/studies/ketamine-use-for-cancer-and-chronic-pain-management/",
    "/articles/",
]


@pytest.mark.parametrize("path", CLINIC_PATHS)
def test_clinic_page_has_no_axe_violations(clinic_site, browser_page, path):
    response = browser_page.goto(clinic_site.url + path)
    assert response.status == 200
    results = Axe().run(
        browser_page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}},
    )
    violations = results.response["violations"]
    assert violations == [], results.generate_report()
