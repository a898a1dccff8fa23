"""A wide table on a phone, in Chromium: it scrolls inside its box, not the page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from wagtail.models import Site

from home.models import StandardPage

WIDE_TABLE = {
    "table_caption": "Possible side effects of ketamine infusions",
    "table_header_choice": "row",
    "data": [
        [
            "Side effect",
            "How common",
            "When it starts",
            "How long it lasts",
            "What to do",
        ],
        *(
            [
                f"Side effect number {n}",
                "Common (more than 1 in 10 people)",
                "During the infusion",
                "Usually less than an hour after it ends",
                "Tell the nurse looking after you straight away",
            ]
            for n in range(4)
        ),
    ],
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def page_with_table(clinic_site):
    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(
        instance=StandardPage(
            title="Side effects at a glance",
            slug="side-effects-at-a-glance",
            body=[{"type": "table", "value": WIDE_TABLE}],
        )
    )
    page.save_revision().publish()
    return clinic_site.url + page.url


@pytest.mark.browser
def test_wide_table_scrolls_inside_its_region_at_320_pixels(
    page_with_table, browser_page
):
    browser_page.set_viewport_size({"width": 320, "height": 640})
    response = browser_page.goto(page_with_table)
    assert response.status == 200
    region = browser_page.get_by_role(
        "region", name="Possible side effects of ketamine infusions"
    )
    assert region.locator("caption").inner_text() == (
        "Possible side effects of ketamine infusions"
    )
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= 320
    overflow = region.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert overflow[0] > overflow[1], "the table should scroll inside its box"
    # A keyboard user can reach the box and scroll it with the arrow keys.
    region.focus()
    browser_page.keyboard.press("ArrowRight")
    # Polled from here: the site's CSP (no 'unsafe-eval') refuses the function
    # wait_for_function would build in the page.
    scrolled = 0
    for _ in range(40):  # at most about 2 seconds
        scrolled = browser_page.evaluate(
            "document.querySelector('.table-scroll').scrollLeft"
        )
        if scrolled > 0:
            break
        browser_page.wait_for_timeout(50)
    assert scrolled > 0, "the arrow key did not scroll the table"
    results = Axe().run(
        browser_page,
        context=".table-scroll",
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}},
    )
    assert [v["id"] for v in results.response["violations"]] == []
