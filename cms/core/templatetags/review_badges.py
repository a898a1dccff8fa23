"""The review status badge (``cms/core/badges.py``) for admin templates."""

from django import template

from cms.core.badges import badge_kind

register = template.Library()


@register.inclusion_tag("core/review_badge.html")
def review_badge(status, label=None):
    """``{% review_badge page.review_status %}``: the status's colour and words."""
    return {"kind": badge_kind(status), "label": label or status.label}
