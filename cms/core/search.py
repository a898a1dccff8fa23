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

The backend's relevance score alone put the main ketamine service fourth for
"ketamine pain" (the studies say "ketamine" more often), so the hits are
ranked again here (``ranked``): pages whose title has more of the words come
first, then the clinic's own pages in the order ``SITE_SEARCH_PAGE_TYPES``
lists them (services, articles, studies), then the backend's order. Each hit
carries the label visitors know it by and a snippet of its text with the
words marked (``snippet``), built from text already loaded (no query a hit).
"""

import hashlib
import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.backends.database.postgres.weights import get_sql_weights
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_descendants_content_types_pks

from cms.core import cachestore
from cms.core.listings import rows_by_id
from cms.core.text import plain_text

RESULTS_PER_PAGE = 10
#: Hits re-ranked and offered page by page: nobody reads past the twentieth
#: page, and ranking every match of a common word on a large site would load
#: thousands of rows for nothing.
MAX_RESULTS = 200
#: About how many characters of text a snippet shows around the first match.
SNIPPET_LENGTH = 220
WORD = re.compile(r"\w+")
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


@dataclass(frozen=True)
class SearchHit:
    """One search result as the visitor sees it."""

    page: Page
    #: What visitors call this kind of page: "Service", "Study summary"...
    label: str
    #: Escaped text with the searched words in ``<mark>``; empty if none.
    snippet: SafeString


def result_label(page: Page) -> str:
    """The page type's ``result_label`` if it declares one, else its verbose name.

    A page class sets ``result_label`` when its verbose name is an editor's
    word ("service page") rather than the visitor's ("Service").
    """
    return getattr(page, "result_label", "") or capfirst(page._meta.verbose_name)


def _matches(word: str, terms: list[str]) -> bool:
    # "pain" finds "painful" and "pains", as the stemming backends do.
    return any(word.startswith(term) for term in terms)


def _terms(words: str) -> list[str]:
    return [word.casefold() for word in words.split()]


def title_coverage(title: str, terms: list[str]) -> int:
    """How many of the searched terms the title contains."""
    title_words = [word.casefold() for word in WORD.findall(title)]
    return sum(any(word.startswith(term) for word in title_words) for term in terms)


def ranked(pages: list[Page], words: str) -> list[Page]:
    """``pages`` (in the backend's order) with title matches first; see the module."""
    terms = _terms(words)
    labels = [label.lower() for label in settings.SITE_SEARCH_PAGE_TYPES]

    def type_order(page: Page) -> int:
        label = page.specific_class._meta.label_lower
        return labels.index(label) if label in labels else len(labels)

    positions = {page.pk: position for position, page in enumerate(pages)}
    return sorted(
        pages,
        key=lambda page: (
            -title_coverage(page.title, terms),
            type_order(page),
            positions[page.pk],
        ),
    )


def passages(page: Page) -> list[str]:
    """The page's own text, plain, in the order a snippet prefers it.

    The summary and search description first (written to introduce the page),
    then each indexed field except the title. Related objects (a study's key
    points) are left out: reading them would cost a query per hit.
    """
    texts = [getattr(page, "summary", ""), getattr(page, "search_description", "")]
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            value = field.get_value(page)
            values = value if isinstance(value, list | tuple) else [value]
            texts.extend(str(item) for item in values if item)
    return [text for text in map(plain_text, texts) if text]


def highlighted(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, with every word that starts with a term in ``<mark>``."""
    pieces, end = [], 0
    for match in WORD.finditer(text):
        if _matches(match.group().casefold(), terms):
            pieces.append(escape(text[end : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            end = match.end()
    pieces.append(escape(text[end:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def snippet(page: Page, words: str) -> SafeString:
    """About ``SNIPPET_LENGTH`` characters of the page's text around the first match.

    The first passage that contains a searched word is cut to a window that
    starts a little before it; when no passage does (the words were in the
    title or a key point), the first passage is shown from its start.
    """
    terms = _terms(words)
    texts = passages(page)
    if not texts:
        return mark_safe("")  # noqa: S308 - a constant
    for text in texts:
        found = next(
            (m for m in WORD.finditer(text) if _matches(m.group().casefold(), terms)),
            None,
        )
        if found:
            break
    else:
        text, found = texts[0], None
    start = 0
    if found and found.start() > SNIPPET_LENGTH // 3:
        # Start at a word boundary about a third of the window before the match.
        start = text.rfind(" ", 0, found.start() - SNIPPET_LENGTH // 3) + 1
    window = text[start : start + SNIPPET_LENGTH]
    if start + SNIPPET_LENGTH < len(text):
        window = window.rsplit(" ", 1)[0] + "…"
    if start:
        window = "…" + window
    return highlighted(window, terms)


def best_matches(pages: QuerySet, words: str, limit: int) -> list[Page]:
    """The ``limit`` best of ``pages`` that have all ``words``, best first.

    One query that ranks as it matches, whatever the size of the site. On
    SQLite, Wagtail's backend orders its hits by a score it looks up with a
    subquery per hit, each running the whole full-text match again: fine for
    a few dozen pages, minutes for the thousand hits of "ketamine" among
    10,000 study summaries (issue 16). ``_sqlite_ranked_ids`` asks the
    full-text index for the same ranking (the same BM25 score, title matches
    weighted by the same norm, the same tie-break) in one query and keeps the
    ``limit`` best. PostgreSQL's backend ranks in one query but matches the
    concatenation of each page's title and body vectors, which no index
    holds: it read and matched every page of the site, so its cost grew with
    the site, not with the hits. ``_postgres_ranked_ids`` lets the GIN
    indexes on the title and the body find the candidates first, then ranks
    them exactly as the backend does.
    """
    backend = get_search_backend()
    if backend.__class__.__name__ == "SQLiteSearchBackend":
        return rows_by_id(pages, _sqlite_ranked_ids(pages, words, limit))
    if backend.__class__.__name__ == "PostgresSearchBackend":
        return rows_by_id(pages, _postgres_ranked_ids(pages, words, limit, backend))
    return list(pages.search(words, operator="and")[:limit])


def _sqlite_ranked_ids(pages: QuerySet, words: str, limit: int) -> list[int]:
    """Ids of the ``limit`` best matches among ``pages``, in SQLite's FTS5 index.

    The index rows are matched (every word, in the title or the body, as the
    backend matches), scored with ``bm25()`` scaled by the title norm exactly
    as Wagtail's backend scores them, and each kept only if its page is in
    ``pages`` (a primary-key lookup per match, not a list of the whole site);
    ordered and cut in the database.
    """
    # Imported here because the module declares its FTS model, which exists on
    # SQLite only: at the top, importing this module would fail on PostgreSQL.
    from modelsearch.backends.database.sqlite.query import (
        BM25,
        Lexeme,
        MatchExpression,
        SearchQueryExpression,
        SQLiteFTSIndexEntry,
    )

    lexemes = [Lexeme(word) for word in words.split()]
    query = SearchQueryExpression(reduce(operator.and_, lexemes))
    object_pk = Cast("index_entry__object_id", IntegerField())
    ranked_ids = (
        SQLiteFTSIndexEntry.objects.filter(MatchExpression(["title", "body"], query))
        .filter(
            index_entry__content_type__in=get_descendants_content_types_pks(pages.model)
        )
        .annotate(
            object_pk=object_pk,
            score=BM25() * (F("index_entry__title_norm") + 1.0),
        )
        .filter(Exists(pages.filter(pk=OuterRef("object_pk"))))
        .order_by("score", "-object_pk")
        .values_list("object_pk", flat=True)
    )
    # An object has one index row per indexed model; dict keeps the first.
    return list(dict.fromkeys(ranked_ids[:limit]))


def _postgres_ranked_ids(pages: QuerySet, words: str, limit: int, backend) -> list[int]:
    """Ids of the ``limit`` best matches among ``pages``, in PostgreSQL's index.

    The backend's own match and score, on its own index rows: a page matches
    when its title and body vectors together hold every word, and scores
    ``ts_rank(title) * title_norm + ts_rank(body)`` with the backend's
    weights, ties broken by the newest id. Before that exact test, a row must
    hold at least one of the words in its title or its body: a condition the
    GIN indexes on both columns answer (a bitmap of the candidates), where
    the combined vector can only be tested row by row over the whole site.
    It never drops a match (a page with every word has one of them), so the
    answer is the backend's. Each candidate is kept only if its page is in
    ``pages`` (a primary-key lookup: the index keeps ids as text, and every
    indexed model here has an integer key), then ordered and cut in the
    database.
    """
    terms = words.split()
    config = backend.config
    # As the backend builds it: the last word first, then the others in
    # order, all required ("and"); the candidates' query accepts any one.
    every_word = SearchQuery(
        reduce(operator.and_, [Lexeme(term) for term in [terms[-1], *terms[:-1]]]),
        search_type="raw",
        config=config,
    )
    any_word = SearchQuery(
        reduce(operator.or_, [Lexeme(term) for term in terms]),
        search_type="raw",
        config=config,
    )
    weights = get_sql_weights()
    object_pk = Cast("object_id", IntegerField())
    ranked_ids = (
        IndexEntry.objects.filter(Q(title=any_word) | Q(body=any_word))
        .annotate(
            vector=CombinedExpression(
                F("title"), "||", F("body"), output_field=SearchVectorField()
            )
        )
        .filter(vector=every_word)
        .filter(content_type__in=get_descendants_content_types_pks(pages.model))
        .annotate(
            object_pk=object_pk,
            score=SearchRank(F("title"), every_word, weights=weights) * F("title_norm")
            + SearchRank(F("body"), every_word, weights=weights),
        )
        .filter(Exists(pages.filter(pk=OuterRef("object_pk"))))
        .order_by("-score", "-object_pk")
        .values_list("object_pk", flat=True)
    )
    return list(dict.fromkeys(ranked_ids[:limit]))


def own_types(ids: list[int], models: list) -> dict:
    """The pages ``ids``, each as its own page type, by id, in one query.

    Wagtail's ``specific()`` reads the pages, then each page type's rows in
    a query of its own, so a page of hits cost one query more for each kind
    of page it held (issue 16: the count must not depend on the hits). The
    searched types are the page's direct subclasses: their rows are joined
    to the page's in the same query (``select_related`` of the one-to-one
    link each subclass has from ``Page``; Django builds the subclass with
    the page's columns too). A page of another type (a subclass of a
    searched type) is read with ``specific``, a query of its own. Only live
    pages are given: ids kept from an earlier read never bring back a page
    unpublished since.
    """
    links = {}
    for model in models:
        link = model._meta.get_ancestor_link(Page)
        if model._meta.get_parent_list() == [Page] and link is not None:
            links[model] = link.remote_field.get_accessor_name()
    found = {}
    pages = Page.objects.live().filter(pk__in=ids).select_related(*links.values())
    for page in pages:
        link = links.get(page.specific_class)
        found[page.pk] = getattr(page, link) if link else page.specific
    return found


def ranked_hit_ids(words: str, site=None) -> list[int]:
    """The ids of the live, public pages that match ``words``, best first.

    Up to ``MAX_RESULTS``. Kept per content generation, site and words
    (``cachestore.remembered``): which pages match and how they rank changes
    only when pages are published, unpublished, moved, restricted or deleted,
    each of which replaces the generation. So a common word among 10,000
    study summaries is matched and ranked once, and every further page of
    its results, for every visitor, reads only the hits it shows.
    """

    def find() -> list[int]:
        pages = Page.objects.live().public().type(*searchable_models())
        if site is not None:
            pages = pages.in_site(site)
        # Ranking reads each candidate's title and type alone: up to 200 rows
        # cost their full columns on every search of a common word (issue 16).
        candidates = best_matches(
            pages.only("title", "content_type"), words, MAX_RESULTS
        )
        return [page.pk for page in ranked(candidates, words)]

    where = hashlib.sha256(f"{site.pk if site else ''}:{words}".encode()).hexdigest()
    return cachestore.remembered_json("search-hits", where, find)


def search_pages(
    query: str, page_number: str | int = 1, site=None
) -> PaginatorPage | None:
    """One page of live, public hits for ``query`` (None when it has no words).

    With ``site``, only that site's pages are searched: another site on the same
    installation (the synthetic demo content, say) never shows in the clinic's
    results. The page's ``object_list`` holds ``SearchHit``s. Raises
    ``SearchTextTooLong`` for an over-long query (see ``search_words``).
    """
    words = search_words(query)
    if not words:
        return None
    results = Paginator(ranked_hit_ids(words, site), RESULTS_PER_PAGE).get_page(
        page_number
    )
    # Only the hits shown are loaded as their own page types.
    by_pk = own_types(list(results), searchable_models())
    results.object_list = [
        SearchHit(
            page=by_pk[pk],
            label=result_label(by_pk[pk]),
            snippet=snippet(by_pk[pk], words),
        )
        for pk in results
        if pk in by_pk
    ]
    return results
