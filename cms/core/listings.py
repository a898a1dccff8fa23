"""Shared pieces of the HTML listings."""

from django.core.paginator import Paginator
from django.db.models import QuerySet

CARDS_PER_PAGE = 12


def paginate(request, items, per_page: int = CARDS_PER_PAGE):
    """One page of ``items``; a bad or too-high page number gives the nearest page.

    For a queryset, the page is chosen on the ids alone and only its own
    rows are then loaded (issue 16): ordering a whole library by title with
    every column of every row in the sort (summaries, citations, bodies) made
    the last page of 10,000 studies several times slower than the first.
    Sorting ids costs little at any size; the page's rows keep the
    queryset's select and prefetch, in the listing's order.
    """
    if not isinstance(items, QuerySet):
        return Paginator(items, per_page).get_page(request.GET.get("page", 1))
    page = Paginator(items.values_list("pk", flat=True), per_page).get_page(
        request.GET.get("page", 1)
    )
    page.object_list = rows_by_id(items, list(page.object_list))
    return page


def rows_by_id(queryset: QuerySet, ids: list) -> list:
    """The rows of ``queryset`` with these ids, in the order of ``ids``.

    The second half of paginating on ids (here and in the API's lists):
    the rows keep the queryset's select and prefetch.
    """
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def slice_by_id(queryset: QuerySet, start: int, stop: int) -> list:
    """``queryset[start:stop]``, ordered and sliced on the ids alone."""
    return rows_by_id(queryset, list(queryset.values_list("pk", flat=True)[start:stop]))
