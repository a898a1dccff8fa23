"""Site-wide views: search, "page not found", robots.txt, and the brand files
browsers ask for."""

from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import condition, require_GET, require_safe
from wagtail.models import Site

from cms.core import brand as brand_files
from cms.core.models import ClinicSettings
from cms.core.search import (
    MAX_QUERY_LENGTH,
    MAX_RESULTS,
    SearchTextTooLong,
    search_pages,
    visible_text,
)


@require_GET
def search(request):
    """The search page; any text gives a page, never an error page.

    An over-long query is answered 400 with the normal page and the reason, its
    first characters kept in the box so the visitor can shorten it.
    """
    typed = request.GET.get("q", "")
    query = visible_text(typed)
    context = {
        "query": query,
        "results": None,
        "error": "",
        "max_results": MAX_RESULTS,
        # The <title> (includes/seo_meta.html adds " | <clinic name>").
        "document_title": "Search",
    }
    status = 200
    try:
        context["results"] = search_pages(
            typed, request.GET.get("page", 1), site=Site.find_for_request(request)
        )
    except SearchTextTooLong as error:
        context.update(query=query[:MAX_QUERY_LENGTH], error=str(error))
        status = 400
    if context["results"] is not None:
        context["document_title"] = f"Search results for “{query}”"
    return TemplateResponse(request, "search.html", context, status=status)


def page_not_found(request, exception=None):
    """The 404 page (``handler404``), titled "Page not found" like its heading.

    Django's own handler gives the template no way to set the document title
    (``includes/seo_meta.html`` builds it from ``document_title`` or the page).
    """
    html = render_to_string(
        "404.html", {"document_title": "Page not found"}, request=request
    )
    return HttpResponseNotFound(html)


@require_GET
def robots_txt(request):
    site = Site.find_for_request(request)
    root = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        f"Sitemap: {root}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# Brand files: favicon, touch icon, manifest and the brand colour's stylesheet.
#
# Drawn from Clinic settings on the first request after a change, then kept in
# the shared cache under the brand's version. The pages link each file with
# ``?v=<version>``: a request carrying the current version may be kept for a
# year, since a new logo or colour gives new links; one without it (browsers
# ask for /favicon.ico on their own) is kept for a day.

YEAR = 365 * 24 * 3600
DAY = 24 * 3600


def request_brand(request) -> brand_files.Brand:
    site = Site.find_for_request(request)
    clinic = ClinicSettings.for_request(request) if site else None
    return brand_files.brand_from_settings(clinic)


ICON_SIZES = (brand_files.APPLE_TOUCH_ICON_SIZE, *brand_files.MANIFEST_ICON_SIZES)


def _brand_etag(request, size: int | None = None) -> str | None:
    if size is not None and size not in ICON_SIZES:
        return None  # no such file: no validator, so never a 304
    return request_brand(request).version


def _brand_response(request, content: bytes | str, content_type: str):
    response = HttpResponse(content, content_type=content_type)
    fresh = request.GET.get("v") == request_brand(request).version
    max_age = YEAR if fresh else DAY
    response["Cache-Control"] = f"public, max-age={max_age}" + (
        ", immutable" if fresh else ""
    )
    return response


def _cached_picture(brand: brand_files.Brand, name: str, draw) -> bytes:
    key = f"brand:{brand.version}:{name}"
    content = cache.get(key)
    if content is None:
        content = draw()
        cache.set(key, content, YEAR)
    return content


@require_safe
@condition(etag_func=_brand_etag)
def favicon_ico(request):
    brand = request_brand(request)
    content = _cached_picture(
        brand, "favicon.ico", lambda: brand_files.favicon_ico(brand)
    )
    return _brand_response(request, content, "image/x-icon")


@require_safe
@condition(etag_func=_brand_etag)
def favicon_svg(request):
    """The monogram as a scalable icon (the page links it only without a logo)."""
    brand = request_brand(request)
    return _brand_response(request, brand_files.monogram_svg(brand), "image/svg+xml")


@require_safe
@condition(etag_func=_brand_etag)
def icon_png(request, size: int = brand_files.APPLE_TOUCH_ICON_SIZE):
    if size not in ICON_SIZES:
        raise Http404("There is no icon of that size.")
    brand = request_brand(request)
    content = _cached_picture(
        brand, f"icon-{size}.png", lambda: brand_files.icon_png(brand, size)
    )
    return _brand_response(request, content, "image/png")


@require_safe
@condition(etag_func=_brand_etag)
def web_manifest(request):
    brand = request_brand(request)

    def icon_url(size: int) -> str:
        return f"{reverse('brand_icon', args=[size])}?v={brand.version}"

    return _brand_response(
        request, brand_files.web_manifest(brand, icon_url), "application/manifest+json"
    )


@require_safe
@condition(etag_func=_brand_etag)
def brand_css(request):
    brand = request_brand(request)
    return _brand_response(request, brand_files.brand_css(brand), "text/css")
