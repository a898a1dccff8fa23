"""The sitemap views, with each site's outline found once per content generation.

``/sitemap.xml`` and every ``/sitemap-pages.xml?p=N`` need the site's
``Outline`` (``cms.core.sitemaps``): how many live, public pages it serves
and the latest publish date. Finding it is one aggregate over all of the
site's pages, a cost that grows with the site (a count and a maximum over
12,000 rows for 10,000 study summaries) for an answer that stays the same
until pages are published, unpublished, moved, restricted or deleted, each of
which replaces the content generation (``cachestore``). So the outline is
kept in the page cache's store under the same guarantee as a cached page or
a remembered route:

- the key carries the content generation and the date
  (``cachestore.content_version``): any such change makes the kept outline
  unreachable at once, in every process, and the very next read counts again;
- the key names the site (scheme and host): another site on the same
  installation never shares one;
- only the two numbers are kept, never a page: the answers are still written
  from the database (the index from the outline, each sitemap from its own
  rows), and drafts or private pages are never in an outline (it counts what
  the sitemap lists: live pages without a view restriction).

With shared fragments switched off (``FRAGMENT_CACHE_SECONDS = 0``) or the
store unavailable, the views find the outline on every request, as before.
"""

from __future__ import annotations

import json

from django.utils.dateparse import parse_datetime

from cms.core import cachestore, sitemaps


def _encoded(outline: sitemaps.Outline) -> bytes:
    latest = outline.latest.isoformat() if outline.latest else None
    return json.dumps({"pages": outline.pages, "latest": latest}).encode()


def _decoded(content: bytes) -> sitemaps.Outline:
    kept = json.loads(content)
    latest = parse_datetime(kept["latest"]) if kept["latest"] else None
    return sitemaps.Outline(pages=kept["pages"], latest=latest)


def remembered_sitemap(request) -> sitemaps.PagedSitemap:
    """The request's sitemap, its outline kept for this generation or found now."""
    found = []

    def outline() -> sitemaps.Outline:
        # The sitemap that found the outline serves this request too: it has
        # read the site's view restrictions already.
        found.append(sitemaps.PagedSitemap(request))
        return found[0].outline

    kept = cachestore.remembered(
        "sitemap-outline",
        f"{request.scheme}:{request.get_host()}",
        outline,
        encode=_encoded,
        decode=_decoded,
    )
    return found[0] if found else sitemaps.PagedSitemap(request, kept)


def index(request):
    """``/sitemap.xml`` (``cms.core.sitemaps.index``) with the kept outline."""
    return sitemaps.index(request, remembered_sitemap(request))


def section(request, section: str):
    """``/sitemap-pages.xml?p=N`` (``cms.core.sitemaps.section``), likewise."""
    return sitemaps.section(request, section, remembered_sitemap(request))
