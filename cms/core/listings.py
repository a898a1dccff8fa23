"""Shared pieces of the HTML listings."""

from django.core.paginator import Paginator

CARDS_PER_PAGE = 12


def paginate(request, items, per_page: int = CARDS_PER_PAGE):
    """One page of ``items``; a bad or too-high page number gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("page", 1))
