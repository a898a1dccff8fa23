"""Review status badges: coloured by urgency, readable (WCAG AA), always worded."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from cms.core.badges import BADGE_KINDS
from cms.core.colour import AA_NORMAL_TEXT, contrast_ratio
from cms.core.review import ReviewStatus

ADMIN_CSS = Path(settings.BASE_DIR) / "cms/core/static/core/admin/admin.css"


def badge_colours() -> dict[str, tuple[str, str]]:
    """Each badge kind's (text, background) colour, read from the stylesheet."""
    css = ADMIN_CSS.read_text()
    colours = {}
    for kind, rules in re.findall(r"\.review-badge--(\w+)\s*\{([^}]*)\}", css):
        text = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", rules)
        background = re.search(r"background-color:\s*(#[0-9a-fA-F]{6})", rules)
        colours[kind] = (text and text.group(1), background and background.group(1))
    return colours


def test_every_badge_kind_has_its_own_colours():
    colours = badge_colours()
    assert set(colours) == set(BADGE_KINDS)
    backgrounds = [background for _text, background in colours.values()]
    assert None not in backgrounds
    assert len(set(backgrounds)) == len(backgrounds)


@pytest.mark.parametrize("kind", BADGE_KINDS)
def test_badge_text_meets_aa_contrast(kind):
    text, background = badge_colours()[kind]
    assert contrast_ratio(text, background) >= AA_NORMAL_TEXT


def test_the_badge_says_the_status_in_words():
    html = Template("{% load review_badges %}{% review_badge status %}").render(
        Context({"status": ReviewStatus.NOT_REVIEWED})
    )
    assert html.strip() == (
        '<span class="review-badge review-badge--not_reviewed" '
        'data-review-status="not_reviewed">Not yet medically reviewed</span>'
    )
