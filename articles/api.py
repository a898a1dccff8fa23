"""``/api/v3/articles/``: article cards, one article's full content, by id or path."""

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.pagination import paginate
from wagtail.api.rich_text import RichTextOutputFormat
from wagtail.api.v3.auth import AllowAnonymous

from articles.models import ArticlePage
from articles.queries import live_articles
from articles.schemas import ArticleCardSchema, ArticleFilters
from cms.core.api.lists import (
    MAX_ID,
    ClinicPagination,
    public_by_path,
    public_detail,
    reject_unknown_params,
    request_site,
    search_pages,
)
from cms.core.api.schemas_detail import detail_schema

router = Router(tags=["articles"], auth=[AllowAnonymous()])
ArticleDetailSchema = detail_schema(ArticlePage)


@router.get(
    "/",
    response=list[ArticleCardSchema],
    url_name="list_articles",
    operation_id="articles_list",
    summary="Live articles, as cards",
)
@paginate(ClinicPagination)
def list_articles(request: HttpRequest, filters: ArticleFilters = Query(...)):
    reject_unknown_params(request, ArticleFilters)
    queryset = live_articles(site=request_site(request), **filters.query_kwargs())
    return search_pages(queryset, filters.search)


@router.get(
    "/find/",
    response=ArticleDetailSchema,
    url_name="find_article",
    operation_id="articles_find",
    summary="One article by its address, e.g. ?html_path=/articles/sleep-and-pain/",
)
def find_article(
    request: HttpRequest,
    html_path: str = Query(..., min_length=1, max_length=1000),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    return public_by_path(request, live_articles(site=request_site(request)), html_path)


@router.get(
    "/{page_id}/",
    response=ArticleDetailSchema,
    url_name="detail_article",
    operation_id="articles_detail",
    summary="One article's full content",
)
def detail_article(
    request: HttpRequest,
    page_id: int = Path(..., ge=1, le=MAX_ID),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    return public_detail(request, live_articles(site=request_site(request)), page_id)
