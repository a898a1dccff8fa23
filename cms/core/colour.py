"""Colour contrast by WCAG 2.2's formulas, for the clinic's brand colour.

The brand colour is used two ways: as the background of buttons with white
text, and as the colour of links and headings on white pages. Both must reach
the AA level for normal text (4.5:1), or some visitors cannot read them. The
maths is small and fixed by the standard (relative luminance of sRGB, then
``(lighter + 0.05) / (darker + 0.05)``), so it lives here rather than in a
dependency.

Contrast is symmetric, so both uses give the same ratio today; they are still
checked and reported one by one so that the editor is told where the colour
is used, and so that a use on another background can be added in one line.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

#: WCAG 2.2 success criterion 1.4.3 (AA) for normal-size text.
AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class ColourUse:
    """One place the brand colour appears: as the text or as the background."""

    description: str  # for the editor, e.g. "white text on the brand colour"
    brand_is_text: bool
    other: str = WHITE


BRAND_COLOUR_USES = (
    ColourUse("white text on the brand colour (buttons)", brand_is_text=False),
    ColourUse("the brand colour as text on a white page (links)", brand_is_text=True),
)


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``: 0 for black, 1 for white."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(text: str, background: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted(
        (relative_luminance(text), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def failing_uses(brand: str) -> list[tuple[ColourUse, float]]:
    """The uses of ``brand`` below AA, each with its measured ratio."""
    failures = []
    for use in BRAND_COLOUR_USES:
        text, background = (
            (brand, use.other) if use.brand_is_text else (use.other, brand)
        )
        ratio = contrast_ratio(text, background)
        if ratio < AA_NORMAL_TEXT:
            failures.append((use, ratio))
    return failures


def validate_brand_colour(value: str) -> None:
    """Refuse a colour that is not ``#rrggbb`` or that fails AA in any use."""
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            "Enter the colour as # followed by six digits or letters a–f, "
            "e.g. #1f5f8b.",
            code="invalid",
        )
    failures = failing_uses(value)
    if failures:
        details = "; ".join(
            f"{use.description}: {ratio:.2f}:1" for use, ratio in failures
        )
        raise ValidationError(
            f"This colour is too light to read: {details}. Each needs at least "
            f"{AA_NORMAL_TEXT}:1. Choose a darker shade.",
            code="low_contrast",
        )
