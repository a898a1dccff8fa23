"""Site-wide views: search and robots.txt."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from cms.core.search import search_pages

MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    results = search_pages(query, request.GET.get("page", 1))
    return TemplateResponse(
        request, "search.html", {"query": query.strip(), "results": results}
    )


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
