"""Template helpers for the site frame: navigation and grouped values."""

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
    """Approaches grouped under their kind's label, kinds in first-seen order."""
    groups: dict[str, list] = {}
    for approach in approaches:
        groups.setdefault(approach.kind, []).append(approach)
    return [(items[0].get_kind_display(), items) for items in groups.values()]
