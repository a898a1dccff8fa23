"""Every API ``search`` parameter answers 200 or a 400 problem, whatever the text.

Wagtail's own lists (pages, images, documents, snippets) and ours (services,
articles, studies) all search the words of the text only; text with no words
or over 200 characters is a 400 ``application/problem+json`` that says why.
Property-based over all of Unicode plus known-hostile strings, with live
pages in place, on SQLite and on PostgreSQL.
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import APIToken

pytestmark = pytest.mark.django_db

ANONYMOUS_LISTS = [
    "/api/v3/pages/",
    "/api/v3/services/",
    "/api/v3/articles/",
    "/api/v3/studies/",
    "/api/v3/images/",
    "/api/v3/documents/",
]
#: Snippet lists need a token; these two snippet types are search-indexed.
TOKEN_LISTS = ["/api/v3/snippets/core.Clinician/", "/api/v3/snippets/core.Condition/"]

HOSTILE = [
    'ketamine "',
    '"',
    "   ",
    "AND",
    "ketamine OR",
    "NOT ketamine",
    "(",
    ")",
    "-",
    "+",
    "*",
    ":",
    "title:x",
    "\ud800",
    "\u200f",
    "\u202eketamine",
    "😀",
    "\x01\x02",
    "\x7f",
    "a" * 10_000,
    "ketamine " * 30,
]
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())
QUERIES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=ANY_CHARACTER, max_size=40),
    st.text(alphabet=ANY_CHARACTER, min_size=190, max_size=260),
)


def encoded(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")


def assert_answer_or_problem(response):
    assert response.status_code in (200, 400), (response.status_code, response.content)
    body = response.json()
    if response.status_code == 400:
        assert response["Content-Type"] == "application/problem+json"
        assert body["status"] == 400
        assert body["detail"]
        assert body["errors"][0]["loc"] == ["query", "search"]
    else:
        assert isinstance(body["items"], list)


@pytest.fixture
def token_header(admin_user):
    _token, secret = APIToken.create_token(user=admin_user, name="search test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize("url", ANONYMOUS_LISTS + TOKEN_LISTS)
@given(query=QUERIES)
@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_search_text_is_an_answer_or_a_problem(
    client, clinic, token_header, url, query
):
    headers = token_header if url in TOKEN_LISTS else {}
    response = client.get(f"{url}?search={encoded(query)}", **headers)
    assert_answer_or_problem(response)


@pytest.mark.parametrize("url", ANONYMOUS_LISTS)
@pytest.mark.parametrize(
    "query, detail",
    [
        ('"', "Search text has no words in it: search for letters or numbers."),
        ("   ", "Search text has no words in it: search for letters or numbers."),
        ("", "Search text has no words in it: search for letters or numbers."),
        ("a" * 201, "Search text is too long: at most 200 characters."),
        ("a" * 10_000, "Search text is too long: at most 200 characters."),
    ],
)
def test_unsearchable_text_is_a_400_that_says_why(client, clinic, url, query, detail):
    response = client.get(url, {"search": query})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    "url, title",
    [
        ("/api/v3/pages/", "IV ketamine"),
        ("/api/v3/services/", "IV ketamine"),
        ("/api/v3/studies/", "Ketamine for chronic pain: a review"),
    ],
)
@pytest.mark.parametrize(
    "query", ["ketamine pain", 'ketamine "pain', "(ketamine) -pain*", "ketamine\x01"]
)
def test_quotes_and_operators_still_find_the_pages(client, clinic, url, title, query):
    response = client.get(url, {"search": query})
    assert response.status_code == 200, response.content
    assert title in [item["title"] for item in response.json()["items"]]


def test_search_still_filters(client, clinic):
    response = client.get("/api/v3/services/", {"search": "zebrafish"})
    assert response.status_code == 200
    assert response.json()["items"] == []
