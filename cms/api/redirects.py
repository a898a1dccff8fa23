"""Redirects with their target as an address a frontend can route to.

Wagtail's stock ``/api/v3/redirects/`` gives a redirect to a page as
``redirect_page_id`` only, so a frontend's middleware would need one more
request (and an editor token for drafts) per redirect. Here every redirect in
its answers also carries ``target``: the page's path on the site when that
page is live and public, the external link as it was entered, or null when the
target page is unpublished or private (then the redirect leads nowhere a
visitor may go, and the frontend should answer 404 like the site does).

How: the least invasive way that keeps stock's endpoints, filters, ordering,
writes and permissions. Stock's router is left in place and its read and
write operations answer with ``RoutableRedirectSchema``, a subclass of stock's
``RedirectSchema`` with two more fields; only the operations' response models
are swapped (``install``), before the API's URLs are first built. A router of
our own at the same prefix would shadow stock's writes, and stock exposes no
hook to extend the schema.
"""

from typing import Literal, get_args

from django.db.models import prefetch_related_objects
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from wagtail.contrib.redirects.api.v3.router import RedirectSchema
from wagtail.contrib.redirects.api.v3.router import router as stock_router
from wagtail.models import Site

from cms.core.visibility import is_public, restricted_paths

TargetKind = Literal["page", "external"]


def redirect_target(redirect, request) -> tuple[TargetKind | None, str | None]:
    """Where ``redirect`` leads a visitor: ``(kind, address)``, or ``(None, None)``.

    A page target is the page's path when it belongs to the redirect's site
    (or the request's site, for redirects valid on every site), a full URL on
    another site; a draft or private page is no target. Route paths are
    ignored, as the redirect middleware ignores them for pages without
    sub-routes (the clinic has none).
    """
    if redirect.redirect_page_id:
        page = redirect.redirect_page
        if not is_public(page, paths=restricted_paths(request)):
            return None, None
        site = redirect.site or Site.find_for_request(request)
        url = page.get_url(request, current_site=site)
        return ("page", url) if url else (None, None)
    if redirect.redirect_link:
        return "external", redirect.redirect_link
    return None, None


class RoutableRedirectSchema(RedirectSchema):
    """Stock's redirect, plus its target resolved to an address."""

    target_kind: TargetKind | None = Field(
        ..., description="`page`: a page of this site; `external`: another website."
    )
    target: str | None = Field(
        ...,
        description="The page's path (e.g. `/services/iv-ketamine/`), or the "
        "external address as entered; null when the target page is not live "
        "and public.",
        examples=["/services/iv-ketamine/"],
    )

    @staticmethod
    def resolve_target_kind(obj, context) -> TargetKind | None:
        return redirect_target(obj, context["request"])[0]

    @staticmethod
    def resolve_target(obj, context) -> str | None:
        return redirect_target(obj, context["request"])[1]


class PagedRoutableRedirectSchema(LimitOffsetPagination.Output):
    """A page of redirects; their target pages are read in one query."""

    items: list[RoutableRedirectSchema]
    count: int

    @staticmethod
    def resolve_items(obj) -> list:
        items = list(obj["items"])
        prefetch_related_objects(items, "redirect_page", "site")
        return items


def _response_model(annotation):
    """A response model as Ninja builds it for ``response=annotation``."""
    return type(
        "NinjaResponseSchema", (Schema,), {"__annotations__": {"response": annotation}}
    )


def _routable(annotation):
    if annotation is RedirectSchema:
        return RoutableRedirectSchema
    items = getattr(annotation, "model_fields", {}).get("items")
    if items is not None and get_args(items.annotation) == (RedirectSchema,):
        return PagedRoutableRedirectSchema
    return None


def install() -> int:
    """Answer stock's redirect operations with targets; returns how many changed.

    Must run before the API's URLs are first built (the routers are bound,
    and their operations copied, at that moment).
    """
    changed = 0
    for path_view in stock_router.path_operations.values():
        for operation in path_view.operations:
            for status, model in list(operation.response_models.items()):
                if model is None or not hasattr(model, "__annotations__"):
                    continue
                replacement = _routable(model.__annotations__.get("response"))
                if replacement is not None:
                    operation.response_models[status] = _response_model(replacement)
                    changed += 1
    return changed
