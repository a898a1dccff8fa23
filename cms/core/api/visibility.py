"""What an anonymous reader may see of another page: live and public, or nothing.

A link inside a payload (a page chooser in the body, a related study) carries
the target's title. A draft or a view-restricted page must not leak its title
that way, so every link goes through ``public_page_link``. View restrictions
are read once per request, not once per link, to keep detail queries bounded.
"""

from wagtail.models import PageViewRestriction

from cms.core.api.fields import PageLinkDict

_CACHE_ATTR = "_clinic_restricted_paths"


def restricted_paths(request) -> tuple[str, ...]:
    """Tree paths of every view-restricted page (their descendants are too)."""
    cached = getattr(request, _CACHE_ATTR, None) if request is not None else None
    if cached is not None:
        return cached
    paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    if request is not None:
        setattr(request, _CACHE_ATTR, paths)
    return paths


def is_public(page, request) -> bool:
    """Live and outside any view restriction."""
    if page is None or not page.live:
        return False
    return not any(page.path.startswith(path) for path in restricted_paths(request))


def public_page_link(page, request) -> PageLinkDict | None:
    if not is_public(page, request):
        return None
    return PageLinkDict(id=page.pk, title=page.title, url=page.get_full_url(request))
