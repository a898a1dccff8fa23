"""``/api/v3/studies/``: study cards, one study's full content, by id or path."""

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.pagination import paginate
from wagtail.api.rich_text import RichTextOutputFormat
from wagtail.api.v3.auth import AllowAnonymous

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
from studies.models import StudySummaryPage
from studies.queries import live_studies
from studies.schemas import StudyCardSchema, StudyFilters

router = Router(tags=["studies"], auth=[AllowAnonymous()])
StudyDetailSchema = detail_schema(StudySummaryPage)


@router.get(
    "/",
    response=list[StudyCardSchema],
    url_name="list_studies",
    operation_id="studies_list",
    summary="Live studies, as cards",
)
@paginate(ClinicPagination)
def list_studies(request: HttpRequest, filters: StudyFilters = Query(...)):
    reject_unknown_params(request, StudyFilters)
    queryset = live_studies(site=request_site(request), **filters.query_kwargs())
    return search_pages(queryset, filters.search)


@router.get(
    "/find/",
    response=StudyDetailSchema,
    url_name="find_study",
    operation_id="studies_find",
    summary="One study by its address, e.g. ?html_path=/studies/ketamine-review/",
)
def find_study(
    request: HttpRequest,
    html_path: str = Query(..., min_length=1, max_length=1000),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    return public_by_path(request, live_studies(site=request_site(request)), html_path)


@router.get(
    "/{page_id}/",
    response=StudyDetailSchema,
    url_name="detail_study",
    operation_id="studies_detail",
    summary="One study summary's full content",
)
def detail_study(
    request: HttpRequest,
    page_id: int = Path(..., ge=1, le=MAX_ID),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    return public_detail(request, live_studies(site=request_site(request)), page_id)
