"""Helpers the clinic's list and detail routers share.

The routers in ``<app>/api.py`` stay a few lines each: parse typed query
parameters, ask the page model's ``objects.listing()``, paginate, and answer. The
rules that would otherwise be repeated (refuse unknown parameters, bound the
offset, search within the filtered pages) live here; a detail's page is read
by ``cms/api/detail.py``.
"""

import datetime
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.images.models import Filter
from wagtail.search.backends import get_search_backend

from cms.core.listings import ids_and_count, listing_ids, rows_by_id
from cms.core.renditions import card_renditions
from cms.core.serializers.fields import ReviewStatusLiteral
from cms.core.serializers.images import LISTING_ASPECT, api_specs

#: Offsets above this are refused: SQLite cannot even express them.
MAX_OFFSET = 1_000_000
#: Largest page id accepted in a path: a 32-bit key, as every database allows.
MAX_ID = 2**31 - 1

Slug = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[-\w]+$")]


class ClinicPagination(WagtailLimitOffsetPagination):
    """Wagtail's limit/offset pagination with a bounded offset, in two queries.

    A queryset is ordered and sliced on its ids, then only those rows are
    loaded, so a deep offset into 10,000 studies sorts no summaries or
    bodies. A listing of pages keeps its ids per content generation
    (``listing_ids``): a page then costs its rows alone. Otherwise the ids
    come with the count in the same query (``ids_and_count``), so a page
    costs the ids and the rows, not a count besides (issue 16); only an
    offset past the end counts on its own.
    """

    class Input(WagtailLimitOffsetPagination.Input):
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)

    def paginate_queryset(self, queryset, pagination, request, **params):
        if not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, pagination, request, **params)
        # Stock's checks (a limit past WAGTAILAPI_LIMIT_MAX is a 400) on no
        # rows at all: its own count and slice would cost a query each.
        answer = super().paginate_queryset([], pagination, request, **params)
        start = pagination.offset
        stop = start + min(pagination.limit, self.max_limit)
        kept = listing_ids(queryset)
        if kept is None:
            ids, count = ids_and_count(queryset, start, stop)
        else:
            ids, count = kept[start:stop], len(kept)
        answer[self.items_attribute] = self.prepare(rows_by_id(queryset, ids))
        answer["count"] = queryset.count() if count is None else count
        return answer

    def prepare(self, rows: list) -> list:
        """The page's rows as the answer lists them (subclasses add to them)."""
        return rows


class CardPagination(ClinicPagination):
    """A page of cards, their listing images' renditions found together.

    Each card asks Wagtail for its image's renditions; Wagtail looks them up
    in its rendition cache and, for a card it does not find there, in the
    database one image at a time. ``card_renditions`` asks the cache about
    every card at once and reads what it lacks in one query: no query once
    the cache is warm, one after a restart, whatever the number of cards.
    """

    def prepare(self, rows: list) -> list:
        card_renditions(rows, [Filter(spec) for spec in api_specs(LISTING_ASPECT)])
        return rows


class ClinicalFilters(Schema):
    """Filters every clinical list accepts."""

    condition: Slug | None = Field(
        None, description="A condition's slug, e.g. `back-pain`."
    )
    review_status: ReviewStatusLiteral | None = Field(
        None, description="Only pages whose medical review is in this state."
    )
    reviewed_after: datetime.date | None = Field(
        None, description="Only pages last reviewed after this date (YYYY-MM-DD)."
    )
    search: str | None = Field(
        None, min_length=1, max_length=200, description="Full-text search."
    )

    def query_kwargs(self) -> dict:
        return self.model_dump(exclude={"search"}, exclude_none=True)


PAGINATION_PARAMS = frozenset({"limit", "offset"})


def reject_unknown_params(request: HttpRequest, *schemas: type[Schema]) -> None:
    """A misspelt filter must not silently return everything: answer 400."""
    allowed = set(PAGINATION_PARAMS)
    for schema in schemas:
        allowed.update(schema.model_fields)
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise HttpError(
            400,
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Allowed: {', '.join(sorted(allowed))}.",
        )


def search_pages(queryset: QuerySet, search: str | None) -> QuerySet:
    """Full-text search inside the filtered pages, keeping the list's ordering.

    The search backend can only filter and order by indexed fields and drops
    the list's prefetches, so it is asked for matching ids only; the ordered, prefetched
    queryset then does the rest (one query more, whatever the length).
    """
    if not search:
        return queryset
    # Filters on relations (condition, tag) are not search filters: search the
    # live pages of this type, then keep the matches the list would show.
    matches = get_search_backend().search(
        search, queryset.model.objects.live(), order_by_relevance=False
    )
    return queryset.filter(pk__in=[page.pk for page in matches])
