"""``make screenshots``: the visitor site as a patient sees it, for the README.

Not part of the suite (the name does not start with ``test_``): ``make
screenshots`` runs it by path. It serves the clinic's content (as ``make run``
loads it) from a live server on 127.0.0.1 and has Debian's Chromium save the
home page, a service, a study and the studies index at 390 px (a phone) and
1366 px (a laptop), full length, into docs/screenshots/. Each file is checked
to be a PNG at least as wide as the window, so a failed capture does not pass;
a page wider than the window is pictured as it is (wider) and is caught by
test_visitor_quality.py's sideways-scrolling gate, not here.
"""

import struct
from pathlib import Path

import pytest
from django.conf import settings

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PAGES = {
    "home": "/",
    "service": "/services/ketamine-and-pain-management/",
    "study": "/studies/ketamine-for-pain-management/",
    "studies-index": "/studies/",
}
WIDTHS = {"phone": 390, "laptop": 1366}
#: A PNG starts with its signature, then the IHDR chunk: width, height.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, path
    return struct.unpack(">II", header[16:24])


@pytest.mark.browser
@pytest.mark.parametrize("device", WIDTHS)
def test_write_screenshots(clinic_site, browser_page, device):
    width = WIDTHS[device]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.set_viewport_size({"width": width, "height": 900})
    for name, path in PAGES.items():
        response = browser_page.goto(clinic_site.url + path)
        assert response is not None and response.status == 200, path
        browser_page.wait_for_load_state("networkidle")
        target = SCREENSHOTS / f"{name}-{width}.png"
        browser_page.screenshot(path=target, full_page=True, animations="disabled")
        shot_width, shot_height = png_size(target)
        assert shot_width >= width, target
        assert shot_height >= 300, target
