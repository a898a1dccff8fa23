"""``/api/v3/site/`` and ``/api/v3/sitemap/``: what a frontend needs site-wide.

A headless frontend renders its header, footer and menus on every page, and
builds its sitemap from the page tree. Without these endpoints it would need
an editor token for ``snippets/core.ClinicSettings`` and one request per menu
item. Both are anonymous reads, so the API middleware gives them an ETag and
a public ``Cache-Control`` like every other read.
"""

import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from wagtail.api.v3.auth import AllowAnonymous
from wagtail.models import Page, Site, get_page_models

from cms.api.lists import ClinicPagination, reject_unknown_params
from cms.core.blocks.site import WEEKDAY_ORDER
from cms.core.models import ClinicSettings
from cms.core.navigation import MenuItem, footer_links, menu_items
from cms.core.serializers.images import (
    SOCIAL_ASPECT,
    ResponsiveImageDict,
    responsive_image,
)
from cms.core.sites import request_site
from cms.core.visibility import restricted_q

router = Router(tags=["site"], auth=[AllowAnonymous()])

Weekday = Literal[tuple(WEEKDAY_ORDER)]
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
# Every page type's label, as in ``meta.type``: a frontend switches on it to
# choose a route's renderer, so the set is an enum (URLs load after the apps).
PageTypeLabel = Literal[tuple(sorted(m._meta.label for m in get_page_models()))]


class AddressSchema(Schema):
    """The clinic's postal address, in parts and as the lines the footer shows."""

    street_address: str
    locality: str = Field(..., description="The city.")
    region: str = Field(..., description="The state, e.g. 'UT'.")
    postal_code: str
    country: Literal["US"]
    lines: list[str] = Field(..., description="The address as display lines.")


class OpeningPeriodSchema(Schema):
    """Days that share the same hours (closed days are not listed)."""

    days: list[Weekday]
    opens: str = Field(..., pattern=CLOCK_PATTERN, examples=["08:00"])
    closes: str = Field(..., pattern=CLOCK_PATTERN, examples=["17:00"])


class OpeningHoursSchema(Schema):
    lines: list[str] = Field(..., description="The hours as the editor wrote them.")
    periods: list[OpeningPeriodSchema] = Field(
        ..., description="The same hours as days and times, when the editor gave them."
    )


class CrisisLineSchema(Schema):
    text: str = Field(..., description="The sentence shown with the number.")
    number: str = Field(..., examples=["988"])


class MenuChildSchema(Schema):
    id: int
    title: str
    html_path: str = Field(..., examples=["/services/iv-ketamine/"])


class MenuItemSchema(MenuChildSchema):
    children: list[MenuChildSchema]


class FooterLinkSchema(Schema):
    kind: Literal["page", "external"]
    label: str
    url: str = Field(
        ...,
        description="A page's path on this site (e.g. `/privacy/`), or the full "
        "address of another website.",
    )
    page_id: int | None


class ClinicSiteSchema(Schema):
    """Everything the header and footer of every page show."""

    site_id: int
    root_url: str = Field(..., examples=["https://clinic.example"])
    clinic_name: str
    phone: str | None
    email: str | None
    address: AddressSchema
    opening_hours: OpeningHoursSchema
    booking_url: str | None = Field(
        ..., description="Where 'Book a consultation' links go; null hides them."
    )
    crisis_line: CrisisLineSchema
    logo: ResponsiveImageDict | None
    brand_colour: str | None = Field(
        ...,
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Readable with white text on it and as text on white (WCAG AA).",
    )
    default_social_image: ResponsiveImageDict | None
    navigation: list[MenuItemSchema] = Field(
        ...,
        description="Pages under the home page marked 'show in menus', in the "
        "editors' order, each with one level of such children.",
    )
    footer_links: list[FooterLinkSchema]


def _menu_dict(item: MenuItem) -> dict:
    return {
        "id": item.id,
        "title": item.title,
        "html_path": item.html_path,
        "children": [_menu_dict(child) for child in item.children],
    }


def site_payload(site: Site, request) -> dict:
    settings = ClinicSettings.for_site(site)
    return {
        "site_id": site.pk,
        "root_url": site.root_url,
        "clinic_name": settings.clinic_name,
        "phone": settings.phone or None,
        "email": settings.email or None,
        "address": {
            "street_address": settings.street_address,
            "locality": settings.locality,
            "region": settings.region,
            "postal_code": settings.postal_code,
            "country": "US",
            "lines": settings.address_lines,
        },
        "opening_hours": {
            "lines": settings.opening_hours_lines,
            "periods": settings.opening_periods,
        },
        "booking_url": settings.booking_url or None,
        "crisis_line": {
            "text": settings.crisis_line_text,
            "number": settings.crisis_line,
        },
        "logo": responsive_image(settings.logo),
        "brand_colour": settings.brand_colour or None,
        "default_social_image": responsive_image(
            settings.default_social_image, aspect=SOCIAL_ASPECT
        ),
        "navigation": [_menu_dict(item) for item in menu_items(site, request)],
        "footer_links": footer_links(settings, site, request),
    }


def _site_or_404(request: HttpRequest) -> Site:
    site = request_site(request)
    if site is None:
        raise Http404("No site is configured for this address.")
    return site


@router.get(
    "/site/",
    response=ClinicSiteSchema,
    url_name="site_details",
    operation_id="site_details",
    summary="The clinic's details, menu and footer links for this site",
)
def site_details(request: HttpRequest):
    reject_unknown_params(request)
    return site_payload(_site_or_404(request), request)


# --- sitemap -----------------------------------------------------------------


class AlternateSchema(Schema):
    locale: str = Field(..., examples=["en"])
    html_path: str | None
    url: str | None


class SitemapEntrySchema(Schema):
    id: int
    type: PageTypeLabel = Field(..., examples=["home.ServicePage"])
    html_path: str
    url: str
    last_published_at: datetime.datetime | None
    alternates: list[AlternateSchema] = Field(
        ...,
        description="The live, public versions of this page in every language, "
        "this one included.",
    )


def _url_parts(page, request) -> tuple[str | None, str | None]:
    parts = page.get_url_parts(request)
    if not parts or not parts[2]:
        return None, None
    _site_id, root_url, path = parts
    return path, f"{root_url}{path}"


def page_type_label(content_type) -> str:
    """``app.Model`` as in v3's ``meta.type``, from the content type alone."""
    model = content_type.model_class()
    if model is None:  # a page type whose code was removed
        return f"{content_type.app_label}.{content_type.model}"
    return model._meta.label


def sitemap_entries(pages: list, request) -> list[dict]:
    """Sitemap rows for one page of results; translations read in one query.

    View restrictions are checked inside that query (``restricted_q``), not
    with Wagtail's ``public()``, which reads them in a query of its own.
    """
    keys = {page.translation_key for page in pages}
    translations: dict = {}
    for translation in (
        Page.objects.filter(translation_key__in=keys)
        .live()
        .exclude(restricted_q())
        .select_related("locale")
        .order_by("locale__language_code", "path")
    ):
        translations.setdefault(translation.translation_key, []).append(translation)
    entries = []
    for page in pages:
        path, url = _url_parts(page, request)
        alternates = []
        for translation in translations.get(page.translation_key, []):
            alt_path, alt_url = _url_parts(translation, request)
            alternates.append(
                {
                    "locale": translation.locale.language_code,
                    "html_path": alt_path,
                    "url": alt_url,
                }
            )
        entries.append(
            {
                "id": page.pk,
                "type": page_type_label(page.content_type),
                "html_path": path or "",
                "url": url or "",
                "last_published_at": page.last_published_at,
                "alternates": alternates,
            }
        )
    return entries


class SitemapPagination(ClinicPagination):
    """Our list pagination, then the page of results turned into sitemap rows
    in a fixed number of queries (translations for all rows at once)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = sitemap_entries(list(result["items"]), request)
        return result


@router.get(
    "/sitemap/",
    response=list[SitemapEntrySchema],
    url_name="sitemap",
    operation_id="sitemap_list",
    summary="Every live, public page of this site, for a sitemap",
)
@paginate(SitemapPagination)
def sitemap(request: HttpRequest):
    reject_unknown_params(request)
    site = _site_or_404(request)
    return (
        Page.objects.descendant_of(site.root_page, inclusive=True)
        .live()
        .exclude(restricted_q())
        .select_related("content_type")
        .order_by("path")
    )
