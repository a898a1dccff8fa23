"""``/api/v3/preview/``: an editor's unsaved draft, for the external frontend.

Anonymous on purpose (the frontend has no Wagtail token): the signed,
expiring, page-bound token is the credential. See ``cms/core/preview.py``.
"""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError
from wagtail.api.rich_text import RichTextOutputFormat
from wagtail.api.v3.auth import AllowAnonymous
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.models import Page

from cms.api.lists import MAX_ID
from cms.core import preview

router = Router(tags=["preview"], auth=[AllowAnonymous()])


@router.get(
    "/",
    response=PageDetailSchema,
    url_name="preview_page",
    operation_id="preview_detail",
    summary="An unsaved draft, with the token from the admin's preview",
    description=(
        "401 when the token is forged or expired; 404 when it was made for "
        "another page or the draft is gone. Never cache the answer."
    ),
)
def preview_page(
    request: HttpRequest,
    page_id: int = Query(..., ge=1, le=MAX_ID),
    token: str = Query(..., min_length=1, max_length=2000),
    rich_text_format: RichTextOutputFormat | None = Query(None),
):
    try:
        grant = preview.read_token(token, page_id)
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            raise preview.PreviewError("No such page.", 404)
        return preview.load_draft(grant, page)
    except preview.PreviewError as error:
        raise HttpError(error.status, str(error)) from error
