"""``/api/v3/services/``: service cards, one service's full content, by id or path."""

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
from home.models import ServicePage
from home.queries import live_services
from home.schemas import ServiceCardSchema, ServiceFilters

router = Router(tags=["services"], auth=[AllowAnonymous()])
ServiceDetailSchema = detail_schema(ServicePage)


@router.get(
    "/",
    response=list[ServiceCardSchema],
    url_name="list_services",
    operation_id="services_list",
    summary="Live services, as cards",
)
@paginate(ClinicPagination)
def list_services(request: HttpRequest, filters: ServiceFilters = Query(...)):
    reject_unknown_params(request, ServiceFilters)
    queryset = live_services(site=request_site(request), **filters.query_kwargs())
    return search_pages(queryset, filters.search)


@router.get(
    "/find/",
    response=ServiceDetailSchema,
    url_name="find_service",
    operation_id="services_find",
    summary="One service by its address, e.g. ?html_path=/services/iv-ketamine/",
)
def find_service(
    request: HttpRequest,
    html_path: str = Query(..., min_length=1, max_length=1000),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    return public_by_path(request, live_services(site=request_site(request)), html_path)


@router.get(
    "/{page_id}/",
    response=ServiceDetailSchema,
    url_name="detail_service",
    operation_id="services_detail",
    summary="One service's full content",
)
def detail_service(
    request: HttpRequest,
    page_id: int = Path(..., ge=1, le=MAX_ID),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    return public_detail(request, live_services(site=request_site(request)), page_id)
