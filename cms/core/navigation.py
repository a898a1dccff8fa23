"""Where a page sits in the site: the breadcrumb trail (visible and in JSON-LD)
and the site's menu and footer links (for every page's frame and the API's
``/site/``)."""

from dataclasses import dataclass

from wagtail.models import Page

from cms.core.visibility import is_public, restricted_paths


def breadcrumb_trail(page) -> list:
    """The site's home page down to ``page`` itself (Wagtail's root is left out)."""
    return [
        ancestor.specific
        for ancestor in page.get_ancestors(inclusive=True).filter(depth__gte=2)
    ]


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


def menu_items(site, request=None) -> list[MenuItem]:
    """The menu of ``site``: its root's live, public children marked "show in
    menus", in tree order, each with its own such children.

    Two levels are read in one query (and view restrictions in one more),
    whatever the size of the menu, so the menu can be built on every request.
    """
    root = site.root_page
    pages = (
        Page.objects.descendant_of(root)
        .filter(depth__lte=root.depth + 2)
        .live()
        .in_menu()
        .order_by("path")
    )
    paths = restricted_paths(request)
    top: dict[str, MenuItem] = {}
    children: dict[str, list[MenuItem]] = {}
    for page in pages:
        if not is_public(page, paths=paths):
            continue
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
    paths = restricted_paths(request)
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
