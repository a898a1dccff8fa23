"""Paginating listings of pages: the HTML index pages and the API's lists.

A page of a listing is found on ids, then only its own rows are loaded. The
ids of a listing of pages (every id, in order) are kept per content
generation (``listing_ids``), so a page of 10,000 study summaries, the first
or the last, costs its rows and no sort or count of the whole library; the
first read after a publish finds them again. Without that store, the ids
come with the count in one query (``ids_and_count``, ``page_ids_and_count``).
"""

import hashlib

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet, Value, Window
from django.db.models.functions import Least, RowNumber
from wagtail.models import Page

from cms.core import cachestore

CARDS_PER_PAGE = 12
#: A listing with more rows than this is not kept (each read of it would move
#: a large entry): its pages are found with a query each, as without a store.
MAX_KEPT_ROWS = 50_000


def paginate(request, items, per_page: int = CARDS_PER_PAGE):
    """One page of ``items``; a bad or too-high page number gives the nearest page.

    For a queryset, the page is chosen on the ids alone and only its own
    rows are then loaded (issue 16): ordering a whole library by title with
    every column of every row in the sort (summaries, citations, bodies) made
    the last page of 10,000 studies several times slower than the first.
    Sorting ids costs little at any size; the page's rows keep the
    queryset's select and prefetch, in the listing's order.

    A listing of pages takes its page from the ids kept for this content
    generation (``listing_ids``): no query but the rows. Without them, the
    page's ids come with the number of matches in the same query
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
    kept = listing_ids(items)
    if kept is not None:
        paginator.count = len(kept)  # ``count`` is a cached property
        page = paginator.get_page(number)
        page.object_list = rows_by_id(
            items, kept[page.start_index() - 1 : page.end_index()]
        )
        return page
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


def listing_ids(queryset: QuerySet) -> list | None:
    """Every id of a listing of pages, in its order, kept per content generation.

    Pages change only through a publish, unpublish, move, restriction or
    deletion, and each of these replaces the content generation, so the ids
    are kept under it (``kept_rows``). The rows are still read from the
    database with the queryset's filters, so a kept id never shows a page
    that is no longer live or public.

    ``None`` when nothing is kept: a listing of something other than pages
    (images and documents change without a new generation), shared
    fragments switched off, or a listing too long to keep.
    """
    if not issubclass(queryset.model, Page):
        return None
    return kept_rows(queryset.values_list("pk", flat=True))


def filter_options(queryset: QuerySet) -> list:
    """``(slug, name)`` of each choice in a listing's filter menu.

    Which conditions or tags the live pages use is a question about the whole
    library (a join over every page and its choices, the slowest part of an
    index page of 10,000 study summaries), with the same answer until pages
    are published or unpublished or a condition is edited, each of which
    replaces the content generation: so it is kept under it too.
    """
    rows = queryset.values_list("slug", "name")
    kept = kept_rows(rows)
    return [tuple(row) for row in (rows if kept is None else kept)]


def kept_rows(rows: QuerySet) -> list | None:
    """The rows of a ``values_list`` query, kept for this content generation.

    Keyed by the query's own SQL and parameters, so each filter, ordering and
    site has its own (``cachestore.remembered``). Only for what the content
    generation covers: pages, and the snippets they show. ``None`` with
    shared fragments switched off, or when there are more than
    ``MAX_KEPT_ROWS`` rows: the caller then asks the database for what it
    needs, as without a store.
    """
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return None
    sql, params = rows.query.sql_with_params()
    where = hashlib.sha256(repr((rows.db, sql, params)).encode()).hexdigest()

    def read() -> list | None:
        found = list(rows[: MAX_KEPT_ROWS + 1])
        return found if len(found) <= MAX_KEPT_ROWS else None  # kept as "too long"

    return cachestore.remembered_json("listing-rows", where, read)


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
