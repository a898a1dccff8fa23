"""Site-wide views: search and robots.txt."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from cms.core.search import (
    MAX_QUERY_LENGTH,
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
    context = {"query": query, "results": None, "error": ""}
    status = 200
    try:
        context["results"] = search_pages(typed, request.GET.get("page", 1))
    except SearchTextTooLong as error:
        context.update(query=query[:MAX_QUERY_LENGTH], error=str(error))
        status = 400
    return TemplateResponse(request, "search.html", context, status=status)


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
