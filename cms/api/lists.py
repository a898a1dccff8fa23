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
from wagtail.models import Site
from wagtail.search.backends import get_search_backend

from cms.core.listings import slice_by_id
from cms.core.serializers.fields import ReviewStatusLiteral

#: Offsets above this are refused: SQLite cannot even express them.
MAX_OFFSET = 1_000_000
#: Largest page id accepted in a path: a 32-bit key, as every database allows.
MAX_ID = 2**31 - 1

Slug = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[-\w]+$")]


class ClinicPagination(WagtailLimitOffsetPagination):
    """Wagtail's limit/offset pagination with a bounded offset."""

    class Input(WagtailLimitOffsetPagination.Input):
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)

    def paginate_queryset(self, queryset, pagination, request, **params):
        answer = super().paginate_queryset(queryset, pagination, request, **params)
        if isinstance(queryset, QuerySet):
            # Issue 16: order and slice on the ids, then load only those rows,
            # so a deep offset into 10,000 studies sorts no summaries or bodies.
            offset = pagination.offset
            answer[self.items_attribute] = slice_by_id(
                queryset, offset, offset + pagination.limit
            )
        return answer


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


def request_site(request: HttpRequest) -> Site | None:
    return Site.find_for_request(request)


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
