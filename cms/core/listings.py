"""Shared pieces of the HTML listings: paging and card images without N+1 queries."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model

CARDS_PER_PAGE = 12


def with_card_images(pages: QuerySet) -> QuerySet:
    """Fetch every card's image and its renditions in a fixed number of queries."""
    images = get_image_model().objects.prefetch_renditions()
    return pages.prefetch_related(Prefetch("listing_image", queryset=images))


def paginate(request, items, per_page: int = CARDS_PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page", 1))
