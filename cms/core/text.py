"""Plain-text snippets of page content, for descriptions editors left empty."""

import html
import re

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator

DESCRIPTION_LENGTH = 160


def plain_text(value) -> str:
    """Rich text or a plain string as one line of readable text."""
    source = getattr(value, "source", value) or ""
    return " ".join(html.unescape(strip_tags(str(source))).split())


def short_description(value, length: int = DESCRIPTION_LENGTH) -> str:
    """At most ``length`` characters, cut at a word boundary with an ellipsis."""
    return Truncator(plain_text(value)).chars(length, truncate="…")


def first_paragraph(stream_value) -> str:
    """The text of the first paragraph block of a body StreamField, if any."""
    for block in stream_value or []:
        if block.block_type == "paragraph":
            return plain_text(block.value)
    return ""


def editor_features(name: str) -> list[str]:
    """The toolbar of a named rich-text editor (``WAGTAILADMIN_RICH_TEXT_EDITORS``).

    Given to fields and blocks as ``features`` so that what the editor offers,
    what is saved and what the API documents are the same list.
    """
    return list(settings.WAGTAILADMIN_RICH_TEXT_EDITORS[name]["OPTIONS"]["features"])


KETAMINE = re.compile(r"\b(es)?ketamine\b|\bspravato\b", re.IGNORECASE)


def mentions_ketamine(*texts: str) -> bool:
    """Whether any text names ketamine, esketamine or Spravato (tags ignored)."""
    return any(KETAMINE.search(strip_tags(str(text or ""))) for text in texts)
