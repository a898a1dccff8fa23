"""Site-wide views: search, "page not found" and robots.txt."""

from django.http import HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site

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
        context["results"] = search_pages(typed, request.GET.get("page", 1))
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
