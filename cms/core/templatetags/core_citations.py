from django import template

from cms.core.citations import Citation, format_ama

register = template.Library()


@register.filter
def ama(citation: Citation) -> str:
    """AMA reference text for a citation (see ``cms.core.citations``)."""
    return format_ama(citation)
