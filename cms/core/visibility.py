"""What an anonymous reader may see of another page: live and public, or nothing.

A link to another page carries that page's title, on the site (related studies,
the services a study supports, JSON-LD citations) and in the API. A draft or a
view-restricted page must not leak its title that way, so both go through
``is_public``. View restrictions are read once per request (or once per call
without a request), never once per link, so listings stay bounded in queries.
"""

from collections.abc import Iterable

from wagtail.models import PageViewRestriction

_CACHE_ATTR = "_clinic_restricted_paths"


def restricted_paths(request=None) -> tuple[str, ...]:
    """Tree paths of every view-restricted page (their descendants are too)."""
    cached = getattr(request, _CACHE_ATTR, None) if request is not None else None
    if cached is not None:
        return cached
    paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    if request is not None:
        setattr(request, _CACHE_ATTR, paths)
    return paths


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
