"""The frame around every public page: header, crisis strip and footer.

Every page shows the same brand, menu, booking button, crisis line and
contact details. They are gathered here once per request (the context
processor below hands templates one lazy ``chrome`` object), so a page pays a
fixed, small number of queries for its frame whatever its content, and a
response that renders no template (a redirect, the API) pays none.
"""

import re
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, Site, get_page_models

from cms.core.blocks.site import WEEKDAY_ORDER
from cms.core.brand import Brand, brand_from_settings
from cms.core.models import ClinicSettings
from cms.core.navigation import (
    MenuItem,
    footer_links,
    kept_menu_pages,
    menu_items,
)
from cms.core.sites import request_site

DAY_ABBREVIATIONS = {day: day[:3] for day in WEEKDAY_ORDER}

#: Slugs of pages that many pages link to (the studies' "About our evidence
#: levels"), registered by their apps when they start. They are read with the
#: menu, in the same query, if they sit within two levels of the site root.
LINKED_PAGE_SLUGS: set[str] = set()


def clock(value: str) -> str:
    """'08:00' as '8am', '17:30' as '5:30pm', '12:00' as 'noon'."""
    hours, minutes = (int(part) for part in value.split(":"))
    if (hours, minutes) == (12, 0):
        return "noon"
    suffix = "am" if hours < 12 else "pm"
    shown = hours % 12 or 12
    return f"{shown}{suffix}" if minutes == 0 else f"{shown}:{minutes:02d}{suffix}"


def day_ranges(days: list[str]) -> str:
    """Week-ordered days as short ranges: 'Mon–Fri', 'Mon, Wed', 'Sat–Sun'."""
    indexes = sorted(WEEKDAY_ORDER.index(day) for day in days)
    groups: list[list[int]] = []
    for index in indexes:
        if groups and index == groups[-1][-1] + 1:
            groups[-1].append(index)
        else:
            groups.append([index])
    parts = []
    for group in groups:
        first, last = WEEKDAY_ORDER[group[0]], WEEKDAY_ORDER[group[-1]]
        if len(group) == 1:
            parts.append(DAY_ABBREVIATIONS[first])
        elif len(group) == 2:
            parts.append(f"{DAY_ABBREVIATIONS[first]}, {DAY_ABBREVIATIONS[last]}")
        else:
            parts.append(f"{DAY_ABBREVIATIONS[first]}–{DAY_ABBREVIATIONS[last]}")
    return ", ".join(parts)


def opening_hours_lines(clinic_settings: ClinicSettings) -> list[str]:
    """The hours as the footer shows them.

    The editor's own wording ("opening hours as shown") wins; without it the
    structured hours are written out, e.g. 'Mon–Fri 8am–5pm', so a clinic that
    filled in only the structured rows still shows its hours.
    """
    if clinic_settings.opening_hours_lines:
        return clinic_settings.opening_hours_lines
    return [
        f"{day_ranges(period['days'])} {clock(period['opens'])}–"
        f"{clock(period['closes'])}"
        for period in clinic_settings.opening_periods
    ]


def phone_href(number: str) -> str:
    """A ``tel:`` link target: digits and a leading '+' only (RFC 3966)."""
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits}" if digits else ""


class SiteChrome:
    """What the header and footer of one request show, each read at most once."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def site(self) -> Site | None:
        return request_site(self.request)

    @cached_property
    def clinic(self) -> ClinicSettings | None:
        # Wagtail keeps the settings on the request: the templates'
        # ``settings.core.ClinicSettings`` reads this same object.
        return ClinicSettings.for_request(self.request) if self.site else None

    @cached_property
    def brand(self) -> Brand:
        return brand_from_settings(self.clinic)

    @cached_property
    def booking_types(self) -> list:
        return [
            model
            for model in get_page_models()
            if getattr(model, "is_booking_page", False)
        ]

    @cached_property
    def frame_pages(self) -> list:
        """The menu's pages, the booking form and the linked pages, in one query."""
        if self.site is None:
            return []
        also = Q(slug__in=sorted(LINKED_PAGE_SLUGS))
        if self.booking_types:
            also |= Q(
                depth=self.site.root_page.depth + 1,
                content_type__in=ContentType.objects.get_for_models(
                    *self.booking_types
                ).values(),
            )
        return kept_menu_pages(self.site, also=also)

    def linked_page(self, slug: str) -> Page | None:
        """The live, public page with a ``LINKED_PAGE_SLUGS`` slug, if any."""
        return next((page for page in self.frame_pages if page.slug == slug), None)

    @cached_property
    def menu(self) -> list[MenuItem]:
        if not self.site:
            return []
        return menu_items(self.site, self.request, pages=self.frame_pages)

    @cached_property
    def footer_links(self) -> list[dict]:
        if not (self.site and self.clinic):
            return []
        return footer_links(self.clinic, self.site, self.request)

    @cached_property
    def booking_url(self) -> str:
        """The clinic's booking link, else its own consultation request form."""
        if self.clinic and self.clinic.booking_url:
            return self.clinic.booking_url
        if self.site is None or not self.booking_types:
            return ""
        root_depth = self.site.root_page.depth
        form_page = next(
            (
                page
                for page in self.frame_pages
                if page.depth == root_depth + 1
                and issubclass(page.specific_class or Page, tuple(self.booking_types))
            ),
            None,
        )
        if form_page is None:  # restricted pages were left out by the query
            return ""
        return form_page.get_url(self.request, current_site=self.site) or ""

    @cached_property
    def crisis_number(self) -> str:
        return self.clinic.crisis_line if self.clinic else ""

    @cached_property
    def crisis_call_href(self) -> str:
        return phone_href(self.crisis_number)

    @cached_property
    def crisis_text_href(self) -> str:
        """An ``sms:`` link for short codes like 988 that take texts too."""
        href = self.crisis_call_href
        return "sms:" + href.removeprefix("tel:") if href else ""

    @cached_property
    def phone_href(self) -> str:
        return phone_href(self.clinic.phone) if self.clinic else ""

    @cached_property
    def opening_hours(self) -> list[str]:
        return opening_hours_lines(self.clinic) if self.clinic else []


def site_chrome(request):
    """Context processor: ``chrome``, read only if a template uses it."""
    return {"chrome": SimpleLazyObject(lambda: SiteChrome(request))}
