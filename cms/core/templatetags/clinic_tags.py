"""Template helpers for the site frame: navigation and grouped values."""

from itertools import groupby

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """The home page's live, public children that editors put in the menu."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return Page.objects.none()
    return site.root_page.get_children().live().public().in_menu().specific()


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.filter
def group_by_kind(approaches):
    """Approaches grouped under their kind's label, keeping the editor's order."""
    items = list(approaches)
    order = []
    for item in items:
        if item.kind not in order:
            order.append(item.kind)
    grouped = {
        kind: list(group)
        for kind, group in groupby(
            sorted(items, key=lambda a: order.index(a.kind)), key=lambda a: a.kind
        )
    }
    return [(grouped[kind][0].get_kind_display(), grouped[kind]) for kind in order]
