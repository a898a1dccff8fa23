"""One page's full content for an anonymous reader, in a few queries (issue 16).

A detail payload shows the page's fields, its relations, ``meta.parent`` and a
JSON-LD graph with breadcrumbs, each of which used to read the database on
its own: stock v3 read the page, then its specific row, its locale, its
parent, its sharing image and reviewer one by one, the view restrictions twice
and every ancestor again for the breadcrumbs. Here the page is read as its own
type with what its template shows (``page_select``, ``page_prefetch``, as the
HTML side routes it, ``cms/core/routing.py``) and its locale, and its
ancestors in one more query; they are kept on the page, where ``meta.parent``
(treebeard's cached parent) and the breadcrumbs (``navigation``) find them.

The same rules as every public list apply: live, on the request's site, and
no view restriction over it (``restricted_q``); a page of this site that is a
draft or private is a 404, never a payload.
"""

from functools import wraps

from django.conf import settings
from django.db.models import Exists, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest
from wagtail.api.v3.routers import pages as stock_pages
from wagtail.models import Page, PageViewRestriction

from cms.core import request_pages, routing
from cms.core.navigation import remember_ancestors
from cms.core.sites import request_site
from cms.core.visibility import remember_no_restrictions, restricted_q


def detail_queryset(queryset: QuerySet) -> QuerySet:
    """``queryset`` reading, with each page, what its detail payload shows.

    A listing's card prefetches are dropped (a detail does not show cards)
    and the type's own ``page_select``/``page_prefetch`` used instead, with
    the locale for v3's ``meta``. ``any_restricted`` tells whether the site
    has any view restriction at all; when it has none, nothing else in the
    request needs to read them.
    """
    model = queryset.model
    return (
        queryset.prefetch_related(None)
        .select_related("locale", "listing_image", *routing.page_select(model))
        .prefetch_related(*routing.page_prefetch(model))
        .annotate(any_restricted=Exists(PageViewRestriction.objects.all()))
    )


def keep_ancestors(page, request: HttpRequest, ancestors: list | None = None) -> None:
    """Keep ``page``'s ancestors (top first) for ``meta.parent`` and breadcrumbs,
    and read ahead the pages its rich text links to.

    ``ancestors`` are those already read (routing by address); otherwise
    they are read here, in one query. The related studies are read first,
    with the studies the body cites (``related_studies_for``); the linked
    pages not among them come with the ancestors, or in one query of their
    own, for all of the page's texts (``cms.core.request_pages``).
    """
    if not page.any_restricted:
        remember_no_restrictions(request)
    if hasattr(page, "related_studies_for"):
        page.related_studies_for(request)
    link_ids = request_pages.unknown_link_ids(page)
    linked = []
    if ancestors is None:
        steplen = page.steplen
        paths = [page.path[:end] for end in range(steplen, len(page.path), steplen)]
        rows = Page.objects.filter(Q(path__in=paths) | Q(pk__in=link_ids))
        rows = list(rows.order_by("path"))
        ancestors = [row for row in rows if row.path in paths]
        linked = [row for row in rows if str(row.pk) in link_ids]
    elif link_ids:
        linked = list(Page.objects.filter(pk__in=link_ids))
    request_pages.keep(linked, link_ids)
    remember_ancestors(page, ancestors)
    if ancestors:
        page._cached_parent_obj = ancestors[-1]  # what treebeard's get_parent reads


def public_page(request: HttpRequest, queryset: QuerySet, page_id: int):
    """The live, public page ``page_id`` among ``queryset``'s, ready to serialise."""
    page = detail_queryset(queryset).filter(pk=page_id).first()
    if page is None:
        raise Http404(f"No live page with id {page_id} here.")
    keep_ancestors(page, request)
    return page


#: Stock's answer for a page it does not serve, kept word for word.
STOCK_NOT_FOUND = "No Page matches the given query."
#: Tree levels above a page read with it by id; a deeper page's are read apart.
ANCESTOR_LEVELS = 8


def public_page_of_any_type(request: HttpRequest, page_id: int):
    """``public_page`` for the pages endpoint, which serves every page type.

    The page's type is not known from its id, so the plain page is read
    first, with its ancestors in the same query (each a prefix of its tree
    path, up to ``ANCESTOR_LEVELS``), and checked as a public list would:
    live, on the request's site, not restricted. Then the page as its type.
    """
    site = request_site(request)
    if site is None:
        raise Http404("No site is configured.")
    target_path = Subquery(Page.objects.filter(pk=page_id).values("path")[:1])
    prefixes = [
        Substr(target_path, 1, level * Page.steplen)
        for level in range(1, ANCESTOR_LEVELS + 1)
    ]
    rows = list(
        Page.objects.filter(Q(pk=page_id) | Q(path__in=prefixes))
        .annotate(restricted=restricted_q())
        .order_by("path")
    )
    found = next((row for row in rows if row.pk == page_id), None)
    model = found.specific_class if found is not None else None
    if (
        model is None
        or not found.live
        or found.restricted
        or not found.path.startswith(site.root_page.path)
    ):
        raise Http404(STOCK_NOT_FOUND)
    page = detail_queryset(model._default_manager.filter(pk=page_id)).first()
    if page is None:  # unpublished or deleted in between
        raise Http404(STOCK_NOT_FOUND)
    ancestors = [row for row in rows if row.depth < found.depth]
    keep_ancestors(
        page, request, ancestors if len(ancestors) == found.depth - 1 else None
    )
    return page


def public_page_at(request: HttpRequest, queryset: QuerySet, html_path: str):
    """The live, public page of ``queryset`` served at ``html_path``, or 404.

    Found like the site routes an address (every page along it in one query,
    ``routing.pages_along``), from the request's site root, so the pages on
    the way are the found page's ancestors and are not read again.
    """
    site = request_site(request)
    if site is None:
        raise Http404("No site is configured.")
    root = site.root_page
    components = [part for part in html_path.split("/") if part]
    chain = routing.pages_along(root, request, components) if components else []
    if len(chain) != len(components):
        raise Http404(f"No live page here at {html_path!r}.")
    target = chain[-1] if chain else root
    page = detail_queryset(queryset).filter(pk=target.pk).first()
    if page is None or page.depth < root.depth:
        raise Http404(f"No live page here at {html_path!r}.")
    # Wagtail's own root, above the site's, is in no breadcrumb trail.
    keep_ancestors(page, request, [root, *chain[:-1]] if chain else [])
    return page


def serves_stock_answer(request: HttpRequest) -> bool:
    """Requests stock v3 answers itself: token holders (drafts, pages they may
    edit), a ``?site=`` other than the request's, and translated trees."""
    return (
        request.user.is_authenticated
        or "site" in request.GET
        or getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    )


def install() -> None:
    """Answer stock ``GET /api/v3/pages/{id}/`` for anonymous readers from here.

    Only the operation's view function changes; its parameters, response
    schema (every page type's read schema) and authentication stay stock's.
    Must run before the API's URLs are first built (operations are copied
    then), like ``cms.api.redirects.install``.
    """
    for operation in stock_pages.router.path_operations["/{page_id}/"].operations:
        if operation.methods == ["GET"]:
            operation.view_func = anonymous_detail(operation.view_func)


def anonymous_detail(stock_view):
    @wraps(stock_view)
    def view(request, page_id: int, version="live", rich_text_format=None):
        if serves_stock_answer(request):
            return stock_view(
                request, page_id, version=version, rich_text_format=rich_text_format
            )
        return public_page_of_any_type(request, page_id)

    return view
