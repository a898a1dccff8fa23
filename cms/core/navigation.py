"""Where a page sits in the site: the breadcrumb trail (visible and in JSON-LD)
and the site's menu and footer links (for every page's frame and the API's
``/site/``)."""

from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page, Site

from cms.core.listings import kept_rows
from cms.core.visibility import is_public, restricted_paths, restricted_q

_ANCESTORS_ATTR = "_clinic_ancestors"
_TRAIL_ATTR = "_clinic_breadcrumb_trail"


def remember_ancestors(page, ancestors: list) -> None:
    """Keep the ancestors routing read on the way to ``page`` (top first)."""
    setattr(page, _ANCESTORS_ATTR, list(ancestors))


def remembered_ancestors(page) -> list | None:
    return getattr(page, _ANCESTORS_ATTR, None)


def breadcrumb_trail(page) -> list:
    """The site's home page down to ``page`` itself (Wagtail's root is left out).

    The ancestors are plain pages, not their specific types: a crumb shows
    only a title and a link, and reading each ancestor as its own type cost
    a query per level (issue 16). Those routing read are used, else one
    query; either way the trail is kept on the page, since the breadcrumbs
    and the JSON-LD both show it.
    """
    trail = getattr(page, _TRAIL_ATTR, None)
    if trail is None:
        ancestors = remembered_ancestors(page)
        if ancestors is None:
            ancestors = page.get_ancestors()
        trail = [*(a for a in ancestors if a.depth >= 2), page]
        trail = [crumb for crumb in trail if crumb.depth >= 2]
        setattr(page, _TRAIL_ATTR, trail)
    return trail


def page_site(page, request=None) -> Site | None:
    """The site ``page`` belongs to: the request's own when it holds the page.

    Wagtail's ``page.get_site()`` reads the site again by id on every call;
    the request has it already (``Site.find_for_request`` keeps it).
    """
    site = Site.find_for_request(request) if request is not None else None
    if site is not None and page.path.startswith(site.root_page.path):
        return site
    return page.get_site()


@dataclass(frozen=True)
class MenuItem:
    """One entry of the site's menu; ``children`` are one level down, never more."""

    id: int
    title: str
    html_path: str
    children: tuple["MenuItem", ...] = ()


def site_path(page, request=None) -> str | None:
    """The page's address relative to its site root, e.g. ``/services/``.

    Read from the base page's URL parts (the site root paths are cached per
    request), so no ``.specific`` query is needed per page.
    """
    parts = page.get_url_parts(request)
    if not parts or not parts[2]:
        return None
    return parts[2]


def menu_pages(site, also=None):
    """The live pages two levels under ``site``'s root that are in its menu.

    ``also`` (a ``Q``) adds other pages of those levels to the same query:
    the site frame reads its booking page with the menu (``chrome.py``).
    """
    root = site.root_page
    wanted = Q(show_in_menus=True) | also if also is not None else Q(show_in_menus=True)
    return (
        Page.objects.descendant_of(root)
        .filter(depth__lte=root.depth + 2)
        .live()
        .exclude(restricted_q())
        .filter(wanted)
        .order_by("path")
    )


def kept_menu_pages(site, also=None) -> list:
    """``menu_pages`` as a list, its ids kept for the content generation.

    Finding the menu means a look at every page two levels down, and the
    studies index's children are two levels down: on a library of 10,000
    studies that look cost as much as the rest of a search page (issue 16).
    The ids are kept (``listings.kept_rows``) like a listing's, so a publish,
    an unpublish or a new restriction shows in the menu on the very next
    request; the pages are then read by id, with the same filters, so a page
    no longer live never comes back.
    """
    pages = menu_pages(site, also=also)
    ids = kept_rows(pages.values_list("pk", flat=True))
    if ids is None:
        return list(pages)
    return list(pages.filter(pk__in=ids)) if ids else []


def menu_items(site, request=None, pages=None) -> list[MenuItem]:
    """The menu of ``site``: its root's live, public children marked "show in
    menus", in tree order, each with its own such children.

    Two levels are read in one query, view restrictions checked inside it,
    whatever the size of the menu, so the menu can be built on every request.
    ``pages`` are those already read with ``menu_pages``.
    """
    root = site.root_page
    if pages is None:
        pages = kept_menu_pages(site)
    pages = [page for page in pages if page.show_in_menus]
    top: dict[str, MenuItem] = {}
    children: dict[str, list[MenuItem]] = {}
    for page in pages:
        path = site_path(page, request)
        if path is None:
            continue
        item = MenuItem(id=page.pk, title=page.title, html_path=path)
        if page.depth == root.depth + 1:
            top[page.path] = item
            children[page.path] = []
        else:
            siblings = children.get(page.path[: -Page.steplen])
            if siblings is not None:  # its parent is not in the menu: neither is it
                siblings.append(item)
    return [
        MenuItem(
            id=item.id,
            title=item.title,
            html_path=item.html_path,
            children=tuple(children[tree_path]),
        )
        for tree_path, item in top.items()
    ]


def footer_links(settings, site, request=None) -> list[dict]:
    """The footer links a visitor can follow: unpublished or private pages left out.

    ``settings`` is the site's ClinicSettings. Shared by the HTML footer and the
    API's ``/site/``, so both list the same links.
    """
    links = []
    paths = None  # read only if a link leads to a page
    for block in settings.footer_links:
        value = block.value
        if block.block_type == "external":
            links.append(
                {
                    "kind": "external",
                    "label": value["label"],
                    "url": value["url"],
                    "page_id": None,
                }
            )
            continue
        page = value["page"]
        if paths is None:
            paths = restricted_paths(request)
        if not is_public(page, paths=paths):
            continue
        url = page.get_url(request, current_site=site)
        if not url:
            continue
        links.append(
            {
                "kind": "page",
                "label": value["label"] or page.title,
                "url": url,
                "page_id": page.pk,
            }
        )
    return links
