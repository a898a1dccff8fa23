"""Admin template tags of clinical governance."""

from django import template

from cms.clinical import banners, scheduling
from cms.clinical.dependants import can_be_cited, live_clinical_pages_citing

register = template.Library()


@register.inclusion_tag("clinical/admin/citing_pages.html", takes_context=True)
def citing_pages_notice(context):
    """Name the live clinical pages that cite what is about to go.

    Shown under Wagtail's usage summary on every delete and unpublish
    confirmation, single or bulk; it says nothing for objects no clinical
    page can cite (images, ordinary pages).
    """
    obj = _object_in(context)
    pages = live_clinical_pages_citing(obj) if can_be_cited(obj) else []
    return {
        "pages": pages,
        "unpublishing": "unpublish_url" in context,
        "is_protected": context.get("is_protected", False),
    }


def _object_in(context):
    """The object a confirmation is about, as Wagtail's templates name it.

    ``object`` in the generic views, ``page`` in the page views, and one item
    (``{"item": obj, ...}``) per loop of the bulk-delete confirmations.
    """
    for name in ("snippet", "page", "object"):
        value = context.get(name)
        if isinstance(value, dict):
            value = value.get("item")
        if value is not None:
            return value
    items = context.get("items") or []
    if len(items) == 1 and isinstance(items[0], dict):
        return items[0].get("item")
    return None


@register.filter
def goes_live(page) -> str:
    """ "3 March at 09:00" for a page approved to go live later, else ""."""
    moment = scheduling.scheduled_go_live_at(page)
    return banners.when(moment) if moment else ""
