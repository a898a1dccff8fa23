"""Template helpers for study pages: the page that explains evidence levels."""

from django import template
from wagtail.models import Page, Site

from studies.evidence_guide import EVIDENCE_GUIDE_SLUG

register = template.Library()


@register.simple_tag(takes_context=True)
def evidence_guide_page(context):
    """The live "About our evidence levels" page of this site, or None.

    Looked up by its slug (one query per page view, never per card) so the
    studies app needs no import of the page type that holds the text.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    return (
        Page.objects.live()
        .public()
        .descendant_of(site.root_page)
        .filter(slug=EVIDENCE_GUIDE_SLUG)
        .first()
    )
