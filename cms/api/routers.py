"""One router shape for every content type: cards, detail by id, detail by path.

Services, articles and studies differ only in their model, listing query, card
schema and filters, so each app declares those and this builds the endpoints.
"""

from dataclasses import dataclass
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from wagtail.api.rich_text import RichTextOutputFormat
from wagtail.api.v3.auth import AllowAnonymous

from cms.api.detail import public_page, public_page_at
from cms.api.lists import (
    MAX_ID,
    CardPagination,
    reject_unknown_params,
    search_pages,
)
from cms.api.schemas_detail import detail_schema
from cms.core.sites import request_site


@dataclass(frozen=True)
class ContentType:
    """What a content type's endpoints are made of."""

    singular: str  # "service"
    plural: str  # "services"
    model: type  # its manager's ``listing()`` gives live, public cards
    card_schema: type[Schema]
    filters: type[Schema]
    example_path: str  # for the find endpoint's summary
    detail_label: str = ""  # e.g. "study summary"; defaults to ``singular``


def typed_card_schema(content: ContentType) -> type[Schema]:
    """The card schema with ``type`` as the one label its cards carry.

    ``PageCardSchema.type`` is any string; each list only ever holds one page
    type, so its card schema says which (an OpenAPI ``const``). Same name as
    the app's class: the app's own class is never in the document.
    """
    label = content.model._meta.label
    card = content.card_schema
    return type(card)(
        card.__name__,
        (card,),
        {
            "__module__": card.__module__,
            "__doc__": card.__doc__,
            "__annotations__": {"type": Literal[label]},  # type: ignore[valid-type]
            "type": Field(..., description="The page's content type."),
        },
    )


def content_router(content: ContentType) -> Router:
    """List, find-by-path and detail endpoints for one content type."""
    one, many = content.singular, content.plural
    router = Router(tags=[many], auth=[AllowAnonymous()])
    detail = detail_schema(content.model)
    card_schema = typed_card_schema(content)
    filters_schema = content.filters

    @router.get(
        "/",
        response=list[card_schema],
        url_name=f"list_{many}",
        operation_id=f"{many}_list",
        summary=f"Live {many}, as cards",
    )
    @paginate(CardPagination)
    def list_pages(request: HttpRequest, filters: filters_schema = Query(...)):
        reject_unknown_params(request, filters_schema)
        queryset = content.model.objects.listing(
            site=request_site(request), **filters.query_kwargs()
        )
        return search_pages(queryset, filters.search)

    @router.get(
        "/find/",
        response=detail,
        url_name=f"find_{one}",
        operation_id=f"{many}_find",
        summary=f"One {one} by its address, e.g. ?html_path={content.example_path}",
        description=(
            f"Answers 200 with the {one}'s full content, the same as its detail "
            "endpoint (no redirect); 404 when no live, public "
            f"{one} is served at that address."
        ),
    )
    def find_page(
        request: HttpRequest,
        html_path: str = Query(..., min_length=1, max_length=1000),
        rich_text_format: RichTextOutputFormat | None = Query(None),
    ):
        pages = content.model.objects.listing(site=request_site(request))
        return public_page_at(request, pages, html_path)

    @router.get(
        "/{page_id}/",
        response=detail,
        url_name=f"detail_{one}",
        operation_id=f"{many}_detail",
        summary=f"One {content.detail_label or one}'s full content",
    )
    def detail_page(
        request: HttpRequest,
        page_id: int = Path(..., ge=1, le=MAX_ID),
        rich_text_format: RichTextOutputFormat | None = Query(None),
    ):
        pages = content.model.objects.listing(site=request_site(request))
        return public_page(request, pages, page_id)

    return router
