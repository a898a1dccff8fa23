"""Site search: any text a visitor types gives the search page, never a 500.

The words of the query are searched (``cms.core.search.search_words``, the
normaliser the API shares); quotes, operators, control characters and odd
Unicode cannot reach the search backend as syntax. Property-based: Hypothesis
draws text from all of Unicode (control characters and lone surrogates
included) besides a list of known-hostile strings, against a site with live
pages, on SQLite and on PostgreSQL.
"""

import unicodedata
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.core.search import (
    MAX_QUERY_LENGTH,
    SearchTextTooLong,
    highlighted,
    search_words,
    title_coverage,
    visible_text,
)

HOSTILE = [
    'ketamine "',
    '"',
    '""',
    "'",
    "   ",
    "\t\n",
    "AND",
    "OR",
    "NOT",
    "ketamine OR",
    "ketamine AND NOT",
    "(",
    ")",
    "-",
    "+",
    "*",
    ":",
    "title:ketamine",
    "ketamine*",
    "NEAR(ketamine pain)",
    "\\",
    "%",
    "\x00",
    "ketamine\x00pain",
    "\x1b[31m",
    "\ud800",
    "\udfff ketamine",
    "\u200f\u202e",
    "\ufeff",
    "😀",
    "👩‍⚕️ ketamine",
    "كيتامين",
    "ketamine " * 30,
    "a" * 201,
    "a" * 10_000,
    " " * 10_000,
]

#: All of Unicode, surrogates and control characters included.
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())
QUERIES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=ANY_CHARACTER, max_size=40),
    st.text(alphabet=ANY_CHARACTER, min_size=190, max_size=260),
)
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def encoded(text: str) -> str:
    """Percent-encoded as a browser would send it; a lone surrogate as %ED%A0%80."""
    return quote(text, safe="", errors="surrogatepass")


@given(text=st.text(alphabet=ANY_CHARACTER, max_size=300))
@settings(max_examples=300, deadline=None, database=None)
def test_search_words_are_only_letters_marks_and_digits(text):
    try:
        words = search_words(text)
    except SearchTextTooLong:
        assert len(visible_text(text)) > MAX_QUERY_LENGTH
        return
    assert len(words) <= MAX_QUERY_LENGTH
    assert words == words.strip()
    assert "  " not in words
    for char in words.replace(" ", ""):
        assert unicodedata.category(char)[0] in "LMN", repr(char)


@pytest.mark.parametrize(
    "text, words",
    [
        ('ketamine "pain"', "ketamine pain"),
        ("ketamine AND (pain OR -sleep)", "ketamine AND pain OR sleep"),
        ("ket\u200bamine\x00", "ketamine"),
        ("back\npain", "back pain"),
        ("\ufb01brositis", "fibrositis"),
        ("  \u200f  ", ""),
        ("😀", ""),
    ],
)
def test_search_words_keep_the_words_and_drop_the_syntax(text, words):
    assert search_words(text) == words


def test_search_words_refuse_more_than_the_limit():
    assert search_words("a" * MAX_QUERY_LENGTH) == "a" * MAX_QUERY_LENGTH
    # Padding is not counted: what is left after collapsing spaces is.
    assert search_words(" " * 10_000 + "pain") == "pain"
    with pytest.raises(SearchTextTooLong, match="at most 200 characters"):
        search_words("a" * (MAX_QUERY_LENGTH + 1))


@pytest.mark.django_db
@given(query=QUERIES)
@PROPERTY_SETTINGS
def test_site_search_answers_any_text_with_the_search_page(client, clinic, query):
    response = client.get(f"/search/?q={encoded(query)}")
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert "<h1>Search</h1>" in html
    assert 'role="search"' in html
    if response.status_code == 400:
        assert "Search text is too long: at most 200 characters." in html


@pytest.mark.django_db
def test_an_over_long_query_is_explained_on_the_page(client, clinic):
    response = client.get("/search/", {"q": "ketamine " * 40})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Search text is too long: at most 200 characters." in html
    assert "Shorten it and search again." in html
    # The start of it stays in the box to be shortened; nothing was searched.
    assert 'value="ketamine ketamine' in html
    assert "result" not in html.split("</form>", 1)[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ['ketamine "', '"', "\x00", "   ", "AND", "(", "ketamine OR"]
)
def test_hostile_queries_get_the_normal_page(client, clinic, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<h1>Search</h1>" in response.content.decode()


@pytest.mark.django_db
def test_quotes_and_operators_do_not_hide_relevant_pages(client, clinic):
    for query in ("ketamine pain", 'ketamine "pain"', "(ketamine) -pain"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert "IV ketamine" in html, query
        assert "Ketamine for chronic pain: a review" in html, query
    html = client.get("/search/", {"q": "   "}).content.decode()
    assert "Type a word or two" in html


def test_highlighting_marks_words_that_start_with_a_term_and_escapes_the_rest():
    assert highlighted("Painful <b> & pain-free", ["pain"]) == (
        "<mark>Painful</mark> &lt;b&gt; &amp; <mark>pain</mark>-free"
    )
    assert highlighted("Spain", ["pain"]) == "Spain"


@given(text=st.text(max_size=80), term=st.text(min_size=1, max_size=5))
@settings(max_examples=200, deadline=None, database=None)
def test_highlighting_never_lets_markup_through(text, term):
    marked = str(highlighted(text, [term.casefold()]))
    assert "<" not in marked.replace("<mark>", "").replace("</mark>", "")
    assert marked.count("<mark>") == marked.count("</mark>")


def test_title_coverage_counts_the_terms_a_title_has():
    assert title_coverage("Ketamine and Pain Management", ["ketamine", "pain"]) == 2
    assert title_coverage("Physical therapy", ["ketamine", "pain"]) == 0
    assert title_coverage("Painful knees", ["pain"]) == 1
