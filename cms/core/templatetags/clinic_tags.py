"""Template helpers for the site frame: navigation and grouped values."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from wagtail.models import Site

from cms.core import jsonld
from cms.core.navigation import breadcrumb_trail
from cms.core.visibility import is_public

register = template.Library()


@register.simple_tag(takes_context=True)
def public_page(context, page):
    """``page`` if an anonymous visitor may open it, else None.

    Blocks that link to a chosen page (a study reference, a call to action)
    use this so a draft or view-restricted page is neither named nor linked.
    """
    return page if is_public(page, context.get("request")) else None


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def page_jsonld(context, page):
    """The page's JSON-LD graph in a script tag, safe against ``</script>``."""
    request = context.get("request")
    graph = jsonld.page_graph(page, page.clinic_settings(request), request)
    text = json.dumps(graph, ensure_ascii=False, cls=DjangoJSONEncoder)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag
def field_widget(bound_field):
    """A form field's widget wired to its help and error text for screen readers."""
    attrs = {}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.id_for_label}-help")
    if bound_field.errors:
        described_by.append(f"{bound_field.id_for_label}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.field.required:
        attrs["aria-required"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (keeps filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.simple_tag
def breadcrumbs(page):
    return breadcrumb_trail(page) if page is not None else []
