"""Finding the page an address names in two queries, however deep it sits.

Wagtail routes a request one level at a time: for each part of the address it
reads the child with that slug, then that child's specific page, so a study
summary three levels under the site root cost six queries before anything
was rendered (issue 16). Each page's ``url_path`` already spells out the slugs
of all its ancestors, so here every page along the address is read in one
query, and only the page asked for is then read as its own type, with what
its template shows (the type's ``page_select`` and ``page_prefetch``).

What was read on the way is kept, not read again: the ancestors for the
breadcrumbs and the JSON-LD (``navigation.breadcrumb_trail``), and the view
restrictions that apply, taken from the one read the request makes of them
anyway (``visibility.view_restrictions``).

A page type that routes addresses below itself (the consultation form's
"thanks" page) is handed the rest of the address as Wagtail would hand it.
"""

from django.db.models import Exists
from django.http import Http404
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from cms.core.navigation import remember_ancestors, remembered_ancestors
from cms.core.visibility import (
    remember_no_restrictions,
    restricted_q,
    view_restrictions,
)

#: Set on a page's ``route`` method that routes through this module; a page
#: type with its own ``route`` does not carry it and is handed the address.
ROUTES_BY_URL_PATH = "routes_by_url_path"


def routes_by_url_path(model) -> bool:
    return getattr(getattr(model, "route", None), ROUTES_BY_URL_PATH, False)


def route(root, request, path_components: list[str]) -> RouteResult:
    """The page ``path_components`` name below ``root``, as Wagtail's ``route``."""
    if not path_components:
        if not root.live:
            raise Http404
        if remembered_ancestors(root) is None and root.depth <= 2:
            remember_ancestors(root, [])  # the site root: nothing above it to show
        remember_restrictions(root, request)
        return RouteResult(root)
    chain = pages_along(root, request, path_components)
    for index, page in enumerate(chain):
        remaining = path_components[index + 1 :]
        model = page.specific_class
        if remaining and model is not None and routes_by_url_path(model):
            continue  # a plain step down: the next page is in ``chain`` already
        parent = chain[index - 1] if index else root
        target = load(page)
        target._cached_parent_obj = parent
        above = remembered_ancestors(root)
        if above is None and root.depth <= 2:
            above = []  # routing started at the top: nothing above was skipped
        if above is not None:
            remember_ancestors(target, [*above, root, *chain[:index]])
        if remaining or not routes_by_url_path(type(target)):
            return target.route(request, remaining)
        if not target.live:
            raise Http404
        remember_restrictions(target, request, restricted=page.restricted)
        return RouteResult(target)
    raise Http404


def pages_along(root, request, path_components: list[str]) -> list:
    """The pages the address names below ``root``, top first, in one query.

    Plain pages (not their own types), each annotated ``restricted`` (a view
    restriction covers it). The list stops where the address leaves the
    tree, so its last page is the deepest one that exists. The content API's
    ``find`` endpoints use it too: the chain is the found page's ancestors.
    """
    url_paths = []
    url_path = root.url_path
    for component in path_components:
        url_path = f"{url_path}{component}/"
        url_paths.append(url_path)
    # ``slug`` is indexed; ``url_path`` alone is not.
    found = {
        page.url_path: page
        for page in Page.objects.filter(
            slug__in=path_components,
            url_path__in=url_paths,
            path__startswith=root.path,
            depth__gt=root.depth,
        ).annotate(
            restricted=restricted_q(),
            any_restricted=Exists(PageViewRestriction.objects.all()),
        )
    }
    if found and not next(iter(found.values())).any_restricted:
        # The site has no view restrictions at all: the request need not
        # read them for the links its template checks.
        remember_no_restrictions(request)
    chain = []
    for url_path in url_paths:
        if url_path not in found:
            break
        chain.append(found[url_path])
    return chain


def page_select(model) -> tuple[str, ...]:
    """The relations ``model``'s pages are read with (``BasePage.page_select``)."""
    return tuple(getattr(model, "page_select", ()))


def page_prefetch(model) -> tuple:
    """The lookups prefetched with ``model``'s pages (``BasePage.page_prefetch``)."""
    prefetch = getattr(model, "page_prefetch", ())
    if callable(prefetch):  # built when asked: it may name later models
        prefetch = prefetch()
    return tuple(prefetch)


def load(page):
    """``page`` as its own type, with what its type's template shows."""
    model = page.specific_class
    if model is None:
        return page
    return (
        model._default_manager.select_related(*page_select(model))
        .prefetch_related(*page_prefetch(model))
        .get(pk=page.pk)
    )


def remember_restrictions(page, request, restricted: bool | None = None) -> None:
    """Keep the view restrictions on ``page`` for Wagtail's check before serving.

    Only when every ancestor was read on the way and none of them, nor the
    page, is an alias: an alias takes its source page's restrictions, which
    Wagtail's own lookup (``Page.get_view_restrictions``) resolves.
    ``restricted`` is False when the routing query found that no restriction
    covers the page: then none need reading.
    """
    if request is None:
        return
    ancestors = remembered_ancestors(page)
    if ancestors is None:
        if page.depth > 2:
            return
        ancestors = []
    if any(step.alias_of_id for step in [*ancestors, page]):
        return
    if restricted is False:
        page.routed_view_restrictions = []
        return
    page.routed_view_restrictions = [
        restriction
        for restriction in view_restrictions(request)
        if page.path.startswith(restriction.page_path)
    ]
