"""Template helpers for study pages: the page that explains evidence levels."""

from django import template
from wagtail.models import Page, Site

from cms.core.visibility import restricted_q
from studies.evidence_guide import EVIDENCE_GUIDE_SLUG

register = template.Library()

_CACHE_ATTR = "_studies_evidence_guide"


@register.simple_tag(takes_context=True)
def evidence_guide_page(context):
    """The live "About our evidence levels" page of this site, or None.

    Looked up by its slug (at most one query per request, never per card: the
    study page asks twice) so the studies app needs no import of the page
    type that holds the text. Restrictions are checked inside that query.
    """
    chrome = context.get("chrome")
    if chrome is not None:
        guide = chrome.linked_page(EVIDENCE_GUIDE_SLUG)
        if guide is not None:
            return guide
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, _CACHE_ATTR):
        site = Site.find_for_request(request)
        guide = None
        if site is not None:
            guide = (
                Page.objects.live()
                .exclude(restricted_q())
                .descendant_of(site.root_page)
                .filter(slug=EVIDENCE_GUIDE_SLUG)
                .first()
            )
        setattr(request, _CACHE_ATTR, guide)
    return getattr(request, _CACHE_ATTR)
