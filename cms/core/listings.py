"""Shared pieces of the HTML listings."""

from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet, Value, Window
from django.db.models.functions import Least, RowNumber

CARDS_PER_PAGE = 12


def paginate(request, items, per_page: int = CARDS_PER_PAGE):
    """One page of ``items``; a bad or too-high page number gives the nearest page.

    For a queryset, the page is chosen on the ids alone and only its own
    rows are then loaded (issue 16): ordering a whole library by title with
    every column of every row in the sort (summaries, citations, bodies) made
    the last page of 10,000 studies several times slower than the first.
    Sorting ids costs little at any size; the page's rows keep the
    queryset's select and prefetch, in the listing's order.

    The page's ids come with the number of matches in the same query
    (``page_ids_and_count``), so a page costs two queries, not three, and
    past the last page the same query gives the last page. A page number
    that is not a plain number is left to Django's paginator, which counts
    first to find the nearest page.
    """
    if not isinstance(items, QuerySet):
        return Paginator(items, per_page).get_page(request.GET.get("page", 1))
    paginator = Paginator(items.values_list("pk", flat=True), per_page)
    number = request.GET.get("page", "1")
    plain = isinstance(number, str) and number.isdigit() and int(number) >= 1
    if plain and items.ordered and not items.query.distinct:
        ids, paginator.count, number = page_ids_and_count(items, int(number), per_page)
        page = paginator.page(number)  # ``count`` is a cached property, set above
        page.object_list = rows_by_id(items, ids)
        return page
    page = paginator.get_page(number)
    page.object_list = rows_by_id(items, list(page.object_list))
    return page


def page_ids_and_count(
    queryset: QuerySet, number: int, per_page: int
) -> tuple[list, int, int]:
    """Page ``number`` of ``queryset`` as ids, its count and its number: one query.

    Each row is numbered in the listing's order and carries the total
    (window functions, computed before the filter), and the rows kept are
    those of the page asked for or, past the end, of the last page: so a
    page costs the same one query wherever it is. Gives the ids in order,
    the number of rows and the number of the page they are on.
    """
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    numbered = queryset.annotate(
        position=Window(RowNumber(), order_by=list(ordering)),
        matching_rows=Window(Count("pk")),
    )
    last_start = (F("matching_rows") - 1) / per_page * per_page
    start = Least(Value((number - 1) * per_page), last_start)
    rows = list(
        numbered.filter(position__gt=start, position__lte=start + per_page)
        .order_by("position")
        .values_list("pk", "matching_rows", "position")
    )
    if not rows:
        return [], 0, 1
    _pk, count, first = rows[0]
    return [pk for pk, _count, _position in rows], count, (first - 1) // per_page + 1


def ids_and_count(queryset: QuerySet, start: int, stop: int) -> tuple[list, int | None]:
    """The ids of ``queryset[start:stop]`` and how many rows it has, in one query.

    Every row of the slice carries the total (``COUNT(*) OVER ()``, counted
    before the slice is cut), so a paginated list needs no separate count
    query. A slice past the end has no row to carry it: the count is then
    ``None`` (unknown), except from the start, where no row means none. A
    ``DISTINCT`` query would count its rows before removing duplicates, so
    it is counted on its own.
    """
    if queryset.query.distinct or queryset.query.combinator:
        ids = list(queryset.values_list("pk", flat=True)[start:stop])
        return ids, (None if start and not ids else queryset.count())
    rows = list(
        queryset.annotate(matching_rows=Window(Count("pk"))).values_list(
            "pk", "matching_rows"
        )[start:stop]
    )
    if not rows:
        return [], 0 if start == 0 else None
    return [pk for pk, _total in rows], rows[0][1]


def rows_by_id(queryset: QuerySet, ids: list) -> list:
    """The rows of ``queryset`` with these ids, in the order of ``ids``.

    The second half of paginating on ids (here and in the API's lists):
    the rows keep the queryset's select and prefetch.
    """
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]
