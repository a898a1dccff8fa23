"""Shared page fragments: the visitor-independent parts of a page, rendered once.

A page the page cache cannot answer (a visitor with a session, a signed-in
editor, the page cache switched off, the first view after a publish) renders
in full, and most of that work is the same for everyone: the head's metadata
and JSON-LD, the header, the content, the footer. ``{% fragment %}``
(``templatetags/page_fragments.py``) keeps such a part, rendered, in the page
cache's store, under the same guarantee as a cached page:

- every key carries the content generation and the date
  (``cachestore.content_version``): any publish, unpublish, move, privacy,
  snippet or settings change makes every fragment unreachable at once, in
  every process;
- a fragment is kept only for a live page that anyone may read (no view
  restriction), never in a preview, and never when the part used the
  visitor's CSRF token;
- the key names the site (scheme and host), the full path with its query
  string, the page and the fragment, so a listing's filters and pages, and
  different pages behind one URL (a password prompt), never share one.

Whatever a visitor alone may see (Wagtail's user bar, messages, form tokens)
stays outside the fragments in the templates.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from cms.core import cachestore
from cms.core.visibility import is_public
from cms.publishing.purge import UNCACHED_PREFIXES


def fragment_where(request, page, name: str) -> str:
    """Whose fragment it is: the address it was rendered for, the page, its name."""
    return (
        f"{request.scheme}:{request.get_host()}:"
        f"{request.get_full_path()}:{page.pk}:{name}"
    )


def may_share(request, page) -> bool:
    """Whether this request may read or keep shared fragments of ``page``."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0 or request is None or page is None:
        return False
    if request.method not in ("GET", "HEAD") or not getattr(page, "pk", None):
        return False
    if getattr(request, "is_preview", False):
        return False
    return not request.path.startswith(UNCACHED_PREFIXES)


def shared_fragment(request, page, name: str, render: Callable[[], str]) -> SafeString:
    """Fragment ``name`` of ``page``: kept, or rendered now (and kept if it may be)."""
    if not may_share(request, page):
        return render()

    def shareable(html) -> bool:
        # Only a public page's parts are shared; a part that used the
        # visitor's CSRF token (a form) is theirs alone.
        return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and is_public(
            page, request
        )

    return cachestore.remembered(
        "fragment",
        fragment_where(request, page, name),
        render,
        encode=lambda html: str(html).encode(),
        decode=lambda content: mark_safe(content.decode()),  # noqa: S308 - our own HTML
        keep=shareable,
    )
