"""What an anonymous reader may see of another page: live and public, or nothing.

A link to another page carries that page's title, on the site (related studies,
the services a study supports, JSON-LD citations) and in the API. A draft or a
view-restricted page must not leak its title that way, so both go through
``is_public``. View restrictions are read once per request (or once per call
without a request), never once per link, so listings stay bounded in queries.
"""

from collections.abc import Iterable

from django.db.models import (
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
)
from wagtail.models import Page, PageViewRestriction

_CACHE_ATTR = "_clinic_view_restrictions"


def view_restrictions(request=None) -> list[PageViewRestriction]:
    """Every view restriction, each with its page's tree path as ``page_path``.

    Read once per request (sites have a handful), shared by the check Wagtail
    makes before serving a page (``cms.core.routing``) and every "is this
    linked page public?" question the page's template asks.
    """
    if request is not None and hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    # The path by the page's key, not a join: with table statistics and few
    # (or no) restrictions, SQLite joined by scanning every page first, 2 ms
    # on every request for 10,000 studies (issue 16).
    restrictions = list(
        PageViewRestriction.objects.annotate(page_path=_restricted_page_path())
    )
    if request is not None:
        setattr(request, _CACHE_ATTR, restrictions)
    return restrictions


def remember_no_restrictions(request) -> None:
    """Known from another query (``cms.core.routing``): there are none."""
    if request is not None:
        setattr(request, _CACHE_ATTR, [])


def restricted_paths(request=None) -> tuple[str, ...]:
    """Tree paths of every view-restricted page (their descendants are too)."""
    return tuple(restriction.page_path for restriction in view_restrictions(request))


def _restricted_page_path() -> Subquery:
    """The tree path of a restriction's page, read by the page's key."""
    return Subquery(Page.objects.filter(pk=OuterRef("page_id")).values("path")[:1])


def restricted_q() -> Exists:
    """Filter for pages under a view restriction, as a subquery of the page query.

    Wagtail's ``PageQuerySet.public()`` first reads every restriction in a
    query of its own; this asks the same inside the listing's one query.

    The restricted page's path is read by its key, one restriction at a
    time, so the subquery walks the restrictions (a handful) and never the
    page table: written as a join, SQLite with table statistics (after an
    ``ANALYZE``) chose to scan every page once per listed page, and a
    listing of 10,000 study summaries took minutes.
    """
    return Exists(
        PageViewRestriction.objects.annotate(
            restricted_path=_restricted_page_path(),
            candidate=ExpressionWrapper(OuterRef("path"), output_field=CharField()),
        ).filter(candidate__startswith=F("restricted_path"))
    )


def is_public(page, request=None, paths: tuple[str, ...] | None = None) -> bool:
    """Live and outside any view restriction (an empty chooser is neither)."""
    if not page or not page.live:
        return False
    if paths is None:
        paths = restricted_paths(request)
    return not any(page.path.startswith(path) for path in paths)


def public_pages(pages: Iterable, request=None) -> list:
    """The pages an anonymous visitor may open, in the given order."""
    pages = [page for page in pages if page is not None and page.live]
    if not pages:
        return []
    paths = restricted_paths(request)
    return [page for page in pages if is_public(page, paths=paths)]
