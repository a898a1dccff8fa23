"""Site search over the clinic's three content types (services, articles, studies).

Uses Wagtail's search backend: the database backend on SQLite and PostgreSQL's
full-text search when the database is PostgreSQL.

Whatever a visitor or an API client types goes through ``search_words`` first,
the one normaliser the site search and every API ``search`` parameter share.
Both backends build their match expression from the words of the text, and
neither escapes the characters of its own query language: a quote, a bare
``AND`` or only spaces made SQLite's FTS5 or the backend itself fail (a 500).
Searching for the words alone keeps relevance ("ketamine pain" still finds
pages about both) and leaves nothing the backend could read as syntax.
"""

import unicodedata

from django.apps import apps
from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from wagtail.models import Page

RESULTS_PER_PAGE = 10
#: Longest search text accepted, counted after control characters are removed
#: and runs of spaces are collapsed (what the person typed, not the padding).
MAX_QUERY_LENGTH = 200
#: Unicode categories a word is made of: letters, marks (accents, vowel signs)
#: and numbers. Everything else (quotes, operators, punctuation, symbols,
#: emoji, spaces) separates words, as the search indexes' tokenisers do.
WORD_CATEGORIES = frozenset("LMN")


class SearchTextTooLong(ValueError):
    """The search text is longer than ``MAX_QUERY_LENGTH`` characters."""

    def __init__(self, length: int):
        self.length = length
        super().__init__(
            f"Search text is too long: at most {MAX_QUERY_LENGTH} characters."
        )


def visible_text(text: str) -> str:
    """``text`` without control, format or unassigned characters, spaces collapsed.

    Category C covers NUL and other control characters, direction marks,
    zero-width joiners, lone surrogates and private-use or unassigned code
    points: none of them is part of a word anyone searches for, so they are
    dropped (``ket\u200bamine`` is ``ketamine``). Line breaks and tabs, which
    are control characters too, separate words like spaces.
    """
    normalized = unicodedata.normalize("NFKC", text)
    kept = "".join(
        " " if char.isspace() else "" if unicodedata.category(char)[0] == "C" else char
        for char in normalized
    )
    return " ".join(kept.split())


def search_words(text: str) -> str:
    """The words of ``text``, space-separated: plain search text any backend accepts.

    Empty when ``text`` holds no letters or digits (only quotes, operators,
    spaces or emoji). Raises ``SearchTextTooLong`` past ``MAX_QUERY_LENGTH``
    visible characters, so a pasted essay is refused with a reason instead of
    being cut off silently.
    """
    visible = visible_text(text)
    if len(visible) > MAX_QUERY_LENGTH:
        raise SearchTextTooLong(len(visible))
    letters = "".join(
        char if unicodedata.category(char)[0] in WORD_CATEGORIES else " "
        for char in visible
    )
    return " ".join(letters.split())


def searchable_models() -> list:
    # Model strings from settings: the foundation knows no concrete page type.
    return [apps.get_model(label) for label in settings.SITE_SEARCH_PAGE_TYPES]


def search_pages(query: str, page_number: str | int = 1) -> PaginatorPage | None:
    """One page of live, public hits for ``query`` (None when it has no words).

    Raises ``SearchTextTooLong`` for an over-long query (see ``search_words``).
    """
    words = search_words(query)
    if not words:
        return None
    results = (
        Page.objects.live()
        .public()
        .type(*searchable_models())
        .specific()
        .search(words, operator="and")
    )
    return Paginator(results, RESULTS_PER_PAGE).get_page(page_number)
