"""The frame of every page as a visitor gets it: brand, menu, crisis strip, footer,
and the icon and manifest files browsers fetch on their own (issue 15 items 1, 2)."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.models import Site

from cms.core.brand import DEFAULT_BRAND_COLOUR, monogram_initials
from cms.core.chrome import clock, day_ranges
from cms.core.loading import LoadReport
from cms.core.models import ClinicSettings
from cms.core.tests.fixtures import make_image
from home.demo import load_consultation
from home.tests.factories import ServiceIndexPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

SITE_CSS = Path(__file__).resolve().parents[1] / "static" / "core" / "site.css"


@pytest.fixture
def clinic(home_page):
    settings = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    settings.clinic_name = "Utah Ketamine Authority"
    settings.street_address = "1 Main Street"
    settings.locality = "Salt Lake City"
    settings.region = "UT"
    settings.postal_code = "84101"
    settings.phone = "(801) 555-0100"
    settings.crisis_line = "988"
    settings.crisis_line_text = "In crisis? Call or text 988."
    settings.opening_hours_structured = [
        (
            "period",
            {
                "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                "opens": datetime.time(8),
                "closes": datetime.time(17),
            },
        ),
        (
            "period",
            {
                "days": ["Saturday"],
                "opens": datetime.time(9),
                "closes": datetime.time(12),
            },
        ),
    ]
    settings.booking_url = "https://booking.example.org/"
    settings.save()
    return settings


def soup_of(client, path="/") -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


# The header


def test_header_shows_the_monogram_and_name_when_there_is_no_logo(clinic, client):
    header = soup_of(client).select_one("header.site-header")
    brand = header.select_one("a.brand")
    assert brand["href"] == "/"
    assert text_of(brand) == "UKA Utah Ketamine Authority"
    mark = brand.select_one(".brand__mark")
    assert mark["aria-hidden"] == "true"
    svg = mark.select_one("svg")
    assert svg.select_one("rect")["fill"] == DEFAULT_BRAND_COLOUR
    assert svg.select_one("text").get_text() == "UKA"
    assert brand.select_one("img") is None


def test_header_shows_the_logo_with_the_clinics_name_as_its_text(clinic, client):
    clinic.logo = make_image(title="Logo", width=600, height=150)
    clinic.save()
    brand = soup_of(client).select_one("header a.brand")
    logo = brand.select_one("img.brand__logo")
    assert logo["alt"] == "Utah Ketamine Authority"
    # Width and height reserve the logo's space: nothing moves when it loads.
    assert (logo["width"], logo["height"]) == ("384", "96")
    assert brand.select_one("svg") is None


def test_monogram_escapes_the_clinics_name(clinic, client):
    clinic.clinic_name = "<b>Bold</b> Care"
    clinic.save()
    page_html = client.get("/").content.decode()
    assert "<b>Bold" not in page_html
    assert "&lt;b&gt;Bold&lt;/b&gt; Care" in page_html


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Utah Ketamine Authority", "UKA"),
        ("Clinic of the Valley", "CV"),
        ("Pain & Spine Center of North Utah", "PSC"),
        ("The", "T"),
        ("wasatch pain-care", "WPC"),
        ("", ""),
    ],
)
def test_monogram_initials(name, initials):
    assert monogram_initials(name) == initials


def test_menu_is_a_details_button_that_needs_no_javascript(clinic, client, home_page):
    services = ServiceIndexPageFactory(parent=home_page, title="Services")
    services.show_in_menus = True
    services.save_revision().publish()
    hidden = StandardPageFactory(parent=home_page, title="Not in the menu")
    soup = soup_of(client, services.url)
    menu = soup.select_one("header details.site-menu")
    assert text_of(menu.select_one("summary")) == "Menu"
    nav = menu.select_one("nav[aria-label=Main]")
    links = [(text_of(a), a["href"]) for a in nav.select("a")]
    assert links == [("Services", "/services/"), ("Search", "/search/")]
    assert nav.select_one("a[aria-current=page]").get_text() == "Services"
    assert hidden.title not in text_of(nav)
    assert soup.select("script:not([type='application/ld+json'])") == []


def test_header_has_a_book_button_to_the_clinics_booking_link(clinic, client):
    button = soup_of(client).select_one("header a.button--book")
    assert text_of(button) == "Book a consultation"
    assert button["href"] == "https://booking.example.org/"


def test_book_button_goes_to_the_request_form_without_a_booking_link(
    clinic, client, home_page
):
    clinic.booking_url = ""
    clinic.save()
    assert soup_of(client).select_one("header a.button--book") is None
    form_page = load_consultation(home_page, LoadReport())
    form_page.save_revision().publish()
    button = soup_of(client).select_one("header a.button--book")
    assert button["href"] == form_page.url


def test_skip_link_comes_first_and_reaches_main(clinic, client):
    soup = soup_of(client)
    first_link = soup.body.find("a")
    assert text_of(first_link) == "Skip to main content"
    assert first_link["href"] == "#main"
    assert soup.select_one("main#main") is not None


# The crisis strip


def test_crisis_strip_leads_the_header_with_the_clinics_number_and_words(
    clinic, client
):
    clinic.crisis_line = "1-800-555-0199"
    clinic.crisis_line_text = "Struggling right now? Help is there day and night."
    clinic.save()
    header = soup_of(client).select_one("header.site-header")
    strip = header.find("div")
    assert "crisis-strip" in strip["class"]
    assert text_of(strip) == (
        "Struggling right now? Help is there day and night. "
        "Call 1-800-555-0199 Text 1-800-555-0199"
    )
    assert [a["href"] for a in strip.select("a")] == [
        "tel:18005550199",
        "sms:18005550199",
    ]


def test_crisis_strip_is_on_every_page_type(clinic, client, home_page):
    page = StandardPageFactory(parent=home_page, title="About us")
    for path in ("/", page.url, "/search/?q=pain"):
        strip = soup_of(client, path).select_one("header .crisis-strip")
        assert text_of(strip) == "In crisis? Call or text 988. Call 988 Text 988"
    not_found = BeautifulSoup(client.get("/no-such-page/").content, "html.parser")
    assert "Call 988" in text_of(not_found.select_one(".crisis-strip"))


def test_a_new_clinic_gets_the_short_crisis_wording(home_page, client):
    """Issue 15: the strip is slim out of the box; editors may reword it."""
    ClinicSettings.objects.create(site=home_page.get_site(), clinic_name="Clinic")
    strip = soup_of(client).select_one("header .crisis-strip")
    assert text_of(strip) == "In crisis? Call or text 988. Call 988 Text 988"


# The footer


def test_footer_shows_address_phone_and_structured_hours(clinic, client):
    footer = soup_of(client).select_one("footer.site-footer")
    assert text_of(footer.select_one("address")) == (
        "1 Main Street Salt Lake City, UT 84101"
    )
    phone = footer.find("a", string="(801) 555-0100")
    assert phone["href"] == "tel:8015550100"
    hours = footer.select_one("[aria-labelledby=footer-hours]")
    assert text_of(hours.find("h2")) == "Opening hours"
    assert [text_of(li) for li in hours.select("li")] == [
        "Mon–Fri 8am–5pm",
        "Sat 9am–noon",
    ]
    assert "does not replace, advice from your own clinician" in text_of(footer)
    assert "In an emergency, call 911." in text_of(footer)


def test_footer_prefers_the_hours_as_the_editor_wrote_them(clinic, client):
    clinic.opening_hours = "Weekdays 8 to 5\nSaturday mornings"
    clinic.save()
    hours = soup_of(client).select_one("footer [aria-labelledby=footer-hours]")
    assert [text_of(li) for li in hours.select("li")] == [
        "Weekdays 8 to 5",
        "Saturday mornings",
    ]


def test_footer_links_the_privacy_notice_and_hides_unpublished_pages(
    clinic, client, home_page
):
    privacy = StandardPageFactory(parent=home_page, title="Privacy notice")
    draft = StandardPageFactory(parent=home_page, title="Draft terms")
    draft.unpublish()
    clinic.footer_links = [
        ("page", {"page": privacy, "label": ""}),
        ("page", {"page": draft, "label": "Terms"}),
        ("external", {"url": "https://portal.example.org/", "label": "Portal"}),
    ]
    clinic.save()
    nav = soup_of(client).select_one("footer nav[aria-label=Footer]")
    assert [(text_of(a), a["href"]) for a in nav.select("a")] == [
        ("Privacy notice", privacy.url),
        ("Portal", "https://portal.example.org/"),
    ]


def test_no_empty_contact_lines_when_the_clinic_gave_none(home_page, client):
    footer = soup_of(client).select_one("footer.site-footer")
    assert footer.select_one("address") is None
    assert footer.select_one("[aria-labelledby=footer-hours]") is None
    assert "Phone:" not in text_of(footer)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("08:00", "8am"), ("17:30", "5:30pm"), ("12:00", "noon"), ("00:00", "12am")],
)
def test_clock(value, shown):
    assert clock(value) == shown


def test_day_ranges():
    assert day_ranges(["Friday", "Monday", "Tuesday", "Wednesday"]) == "Mon–Wed, Fri"
    assert day_ranges(["Saturday", "Sunday"]) == "Sat, Sun"
    assert day_ranges(["Thursday"]) == "Thu"


# Queries


def test_the_frame_costs_the_same_queries_however_long_menu_and_footer_are(
    clinic, client, home_page
):
    def count():
        client.get("/")  # warm Wagtail's per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    def add_pages(number):
        for _ in range(number):
            page = StandardPageFactory(parent=home_page)
            page.show_in_menus = True
            page.save_revision().publish()
            clinic.footer_links.append(("page", {"page": page, "label": ""}))
        clinic.save()

    add_pages(1)
    few = count()
    add_pages(5)
    assert count() == few


# Icons, manifest and the brand stylesheet


def head_links(client) -> dict[str, str]:
    soup = soup_of(client)
    return {
        f"{link['rel'][0]}:{link.get('type', '')}": link["href"]
        for link in soup.head.select(
            "link[rel=icon], link[rel=apple-touch-icon], "
            "link[rel=manifest], link[rel=stylesheet]"
        )
    }


def test_head_links_icons_and_manifest_with_the_brand_version(clinic, client):
    links = head_links(client)
    version = re.search(r"\?v=(\w+)", links["icon:"]).group(1)
    assert links["icon:"] == f"/favicon.ico?v={version}"
    assert links["icon:image/svg+xml"] == f"/favicon.svg?v={version}"
    assert links["apple-touch-icon:"] == f"/apple-touch-icon.png?v={version}"
    assert links["manifest:"] == f"/manifest.webmanifest?v={version}"
    soup = soup_of(client)
    assert soup.select_one("meta[name=theme-color]")["content"] == DEFAULT_BRAND_COLOUR
    clinic.brand_colour = "#1f5f8b"
    clinic.save()
    assert head_links(client)["icon:"] != f"/favicon.ico?v={version}"


def test_favicon_is_an_icon_file_cached_and_revalidated(clinic, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "public, max-age=86400"
    icon = PILImage.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert (16, 16) in icon.info["sizes"] and (48, 48) in icon.info["sizes"]
    again = client.get("/favicon.ico", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_linked_icons_may_be_kept_for_a_year(clinic, client):
    href = head_links(client)["apple-touch-icon:"]
    response = client.get(href)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_touch_icon_is_the_monogram_on_the_brand_colour(clinic, client):
    clinic.brand_colour = "#1f5f8b"
    clinic.save()
    response = client.get("/apple-touch-icon.png")
    assert response["Content-Type"] == "image/png"
    picture = PILImage.open(io.BytesIO(response.content)).convert("RGB")
    assert picture.size == (180, 180)
    assert picture.getpixel((2, 2)) == (0x1F, 0x5F, 0x8B)
    # White initials in the middle band of the icon.
    middle = [picture.getpixel((x, 90)) for x in range(40, 140)]
    assert (255, 255, 255) in middle


def test_touch_icon_shows_the_logo_when_there_is_one(clinic, client):
    clinic.logo = make_image(title="Logo", width=400, height=400)  # #336699
    clinic.save()
    picture = PILImage.open(
        io.BytesIO(client.get("/apple-touch-icon.png").content)
    ).convert("RGB")
    assert picture.getpixel((2, 2)) == (255, 255, 255)  # the margin
    assert picture.getpixel((90, 90)) == (0x33, 0x66, 0x99)
    # With a logo the monogram is not offered as the tab icon.
    assert "icon:image/svg+xml" not in head_links(client)


def test_svg_favicon_is_the_monogram(clinic, client):
    response = client.get("/favicon.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = BeautifulSoup(response.content, "html.parser")
    assert svg.select_one("text").get_text() == "UKA"
    assert svg.select_one("rect")["fill"] == DEFAULT_BRAND_COLOUR


def test_manifest_names_the_clinic_and_lists_icons_that_exist(clinic, client):
    clinic.brand_colour = "#1f5f8b"
    clinic.save()
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Utah Ketamine Authority"
    assert manifest["short_name"] == "UKA"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#1f5f8b"
    sizes = []
    for icon in manifest["icons"]:
        icon_response = client.get(icon["src"])
        assert icon_response["Content-Type"] == icon["type"] == "image/png"
        sizes.append(PILImage.open(io.BytesIO(icon_response.content)).size)
        assert icon["sizes"] == "{}x{}".format(*sizes[-1])
    assert sizes == [(192, 192), (512, 512)]


def test_no_icon_of_an_unlisted_size(clinic, client):
    etag = client.get("/icon-192.png")["ETag"]
    assert client.get("/icon-100.png").status_code == 404
    assert client.get("/icon-100.png", HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_brand_files_answer_head_requests(clinic, client):
    response = client.head("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"


def test_brand_stylesheet_only_for_a_clinic_colour(clinic, client):
    assert not any(
        href.startswith("/brand.css") for href in head_links(client).values()
    )
    clinic.brand_colour = "#1f5f8b"
    clinic.save()
    stylesheets = [
        link["href"] for link in soup_of(client).head.select("link[rel=stylesheet]")
    ]
    assert any(link.startswith("/brand.css?v=") for link in stylesheets)
    brand_href = next(link for link in stylesheets if link.startswith("/brand.css"))
    response = client.get(brand_href)
    assert response["Content-Type"].startswith("text/css")
    assert response.content.decode() == "html:root { --brand: #1f5f8b; }\n"


def test_site_css_default_brand_is_the_documented_default():
    declared = re.search(r"--brand:\s*(#[0-9a-f]{6})", SITE_CSS.read_text())
    assert declared.group(1) == DEFAULT_BRAND_COLOUR


def test_site_css_requests_nothing_from_other_sites():
    css = SITE_CSS.read_text()
    assert "url(" not in css
    assert "@import" not in css


# In Chromium, with the clinic's own content


PHONE = {"width": 320, "height": 640}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_phone_visitor_without_javascript_finds_help_booking_and_the_menu(
    clinic_site, browser_page
):
    context = browser_page.context.browser.new_context(
        java_script_enabled=False, viewport=PHONE
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(clinic_site.url + "/services/ketamine-and-pain-management/")
    # Crisis help and booking are on the first screen.
    for name in ("Call 988", "Text 988", "Book a consultation"):
        link = page.get_by_role("banner").get_by_role("link", name=name)
        box = link.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], name
    menu_link = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Studies"
    )
    assert not menu_link.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert menu_link.is_visible()
    menu_link.click()
    page.wait_for_url("**/studies/")
    for path in ("/", "/services/ketamine-and-pain-management/", "/articles/"):
        page.goto(clinic_site.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wide_screen_shows_the_menu_and_print_shows_only_the_content(
    clinic_site, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(clinic_site.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Services").is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()
    # No icon, manifest or stylesheet the page links is missing.
    for href in page.eval_on_selector_all(
        "link[rel=icon], link[rel=apple-touch-icon], link[rel=manifest]",
        "links => links.map(link => link.href)",
    ):
        assert page.request.get(href).status == 200, href
    page.goto(clinic_site.url + "/services/ketamine-and-pain-management/")
    page.emulate_media(media="print")
    assert not page.locator("footer.site-footer").is_visible()
    assert not nav.is_visible()
    assert not page.locator(".crisis-strip").is_visible()
    written_out = page.eval_on_selector(
        "main a[href^='/studies/']",
        "link => getComputedStyle(link, '::after').content",
    )
    assert written_out.startswith('" (/studies/')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lightest_allowed_brand_colour_keeps_every_text_readable(
    clinic_site, browser_page
):
    clinic = ClinicSettings.objects.get()
    clinic.brand_colour = "#767676"  # 4.54:1 on white, the least AA allows
    clinic.full_clean()
    clinic.save()
    page = browser_page
    for width in (320, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(clinic_site.url + "/services/ketamine-and-pain-management/")
        if width == 320:
            page.get_by_text("Menu", exact=True).click()
        brand = page.evaluate(
            "getComputedStyle(document.documentElement)"
            ".getPropertyValue('--brand').trim()"
        )
        assert brand == "#767676"
        results = Axe().run(
            page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}}
        )
        assert [
            (v["id"], [node["target"] for node in v["nodes"]])
            for v in results.response["violations"]
        ] == []
