"""Template helpers for page content: reading time."""

from django import template

from cms.core.reading_time import reading_minutes

register = template.Library()


@register.filter
def reading_time(page) -> str:
    """'4 minute read' for a page with a ``body`` StreamField and a summary."""
    minutes = reading_minutes(getattr(page, "body", None), page.summary or "")
    return f"{minutes} minute read"
