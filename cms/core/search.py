"""Site search over the clinic's three content types (services, articles, studies).

Uses Wagtail's search backend: the database backend on SQLite and PostgreSQL's
full-text search when the database is PostgreSQL.
"""

from django.apps import apps
from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from wagtail.models import Page

RESULTS_PER_PAGE = 10


def searchable_models() -> list:
    # Model strings from settings: the foundation knows no concrete page type.
    return [apps.get_model(label) for label in settings.SITE_SEARCH_PAGE_TYPES]


def search_pages(query: str, page_number: str | int = 1) -> PaginatorPage | None:
    """One page of live, public hits for ``query`` (None for an empty query)."""
    query = query.strip()
    if not query:
        return None
    results = (
        Page.objects.live()
        .public()
        .type(*searchable_models())
        .specific()
        .search(query, operator="and")
    )
    return Paginator(results, RESULTS_PER_PAGE).get_page(page_number)
