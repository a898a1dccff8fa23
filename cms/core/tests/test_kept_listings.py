"""Issue 16: listings and search kept per content generation, never stale.

A listing's ids (the studies index, the articles index, the API's lists), its
filter menu and the site search's ranked hits are kept in the page cache's
store under the content generation (``cms.core.listings``,
``cms.core.search``), so a page of 10,000 study summaries costs its own rows,
not a sort and a count of the whole library. Every door that changes what a
listing shows (a publish, an unpublish, a view restriction) must show on the
very next read, on the first page and the last, in the count, the filter menu
and the search results.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.core.listings import CARDS_PER_PAGE
from cms.core.tests.factories import ConditionFactory, publish_reviewed
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def listings_kept(settings, empty_page_store):
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture
def library(clinic, on_commit):
    """The clinic's study and 12 more: two pages of the index (12 and 1)."""
    for number in range(CARDS_PER_PAGE):
        study = StudySummaryPageFactory(
            parent=clinic["studies"], title=f"Study {number:02}"
        )
        on_commit(lambda study=study: publish_reviewed(study))
    return clinic


def add_study(clinic, on_commit, title: str, **fields):
    study = StudySummaryPageFactory(parent=clinic["studies"], title=title, **fields)
    on_commit(lambda: publish_reviewed(study))
    return study


def index_html(client, clinic, **params) -> str:
    response = client.get(clinic["studies"].url, params)
    assert response.status_code == 200
    return response.content.decode()


def study_count(html: str) -> int:
    return int(re.search(r'<p role="status">(\d+) stud', html).group(1))


def api_titles(client, **params) -> tuple[int, list[str]]:
    response = client.get("/api/v3/studies/", params)
    assert response.status_code == 200, response.content
    answer = response.json()
    return answer["count"], [item["title"] for item in answer["items"]]


def test_the_index_shows_a_publish_and_an_unpublish_on_the_next_read(
    client, library, on_commit
):
    assert study_count(index_html(client, library)) == 13
    last = index_html(client, library, page=2)
    assert ">Study 11</a>" in last  # "Ketamine…" sorts before "Study …"
    new = add_study(library, on_commit, "A new study")
    first = index_html(client, library)
    assert study_count(first) == 14
    assert ">A new study</a>" in first
    assert ">Study 10</a>" in index_html(client, library, page=2)
    on_commit(lambda: new.unpublish())
    first = index_html(client, library)
    assert study_count(first) == 13
    assert ">A new study</a>" not in first


def test_a_restricted_study_leaves_the_kept_listings_at_once(
    client, library, on_commit
):
    study = Page.objects.get(title="Study 00")
    assert ">Study 00</a>" in index_html(client, library)
    assert "Study 00" in api_titles(client)[1]
    on_commit(
        lambda: PageViewRestriction.objects.create(
            page=study, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    )
    assert ">Study 00</a>" not in index_html(client, library)
    count, titles = api_titles(client)
    assert "Study 00" not in titles and count == 12


def test_a_kept_listing_reads_only_its_rows(client, library):
    index_html(client, library, page=2)
    api_titles(client, offset=10, limit=5)
    for read in (
        lambda: index_html(client, library, page=2),
        lambda: api_titles(client, offset=10, limit=5),
    ):
        with CaptureQueriesContext(connection) as queries:
            read()
        whole_library = [
            query["sql"]
            for query in queries.captured_queries
            if "studies_studysummarypage" in query["sql"]
            and ("COUNT(" in query["sql"] or "ORDER BY" in query["sql"])
            and " IN (" not in query["sql"]
        ]
        assert whole_library == []


def test_the_api_list_shows_a_publish_at_every_offset_on_the_next_read(
    client, library, on_commit
):
    assert api_titles(client, offset=12)[0] == 13
    assert api_titles(client, offset=12) == (13, ["Study 11"])
    add_study(library, on_commit, "Zebra study")
    assert api_titles(client, offset=12) == (14, ["Study 11", "Zebra study"])
    assert api_titles(client, offset=20) == (14, [])


def test_a_kept_id_never_brings_back_a_page_no_longer_live(client, library):
    assert "Study 05" in api_titles(client)[1]
    # Unpublished behind the signals' back (a raw update): no new generation.
    Page.objects.filter(title="Study 05").update(live=False)
    assert "Study 05" not in api_titles(client)[1]


def test_the_filter_menu_shows_a_new_condition_on_the_next_read(
    client, library, on_commit
):
    assert "Migraine" not in index_html(client, library)
    migraine = ConditionFactory(name="Migraine")
    study = StudySummaryPageFactory(parent=library["studies"], title="Migraine trial")
    study.conditions.set([migraine])
    on_commit(lambda: publish_reviewed(study))
    html = index_html(client, library)
    assert f'<option value="{migraine.slug}">Migraine</option>' in html
    filtered = index_html(client, library, condition=migraine.slug)
    assert study_count(filtered) == 1 and ">Migraine trial</a>" in filtered


def search_html(client, words: str) -> str:
    response = client.get("/search/", {"q": words})
    assert response.status_code == 200
    return response.content.decode()


def test_search_shows_a_publish_and_an_unpublish_on_the_next_read(
    client, library, on_commit
):
    assert "Esketamine nasal spray" not in search_html(client, "ketamine")
    new = add_study(
        library,
        on_commit,
        "Esketamine nasal spray",
        summary="A ketamine nasal spray for depression.",
    )
    assert "Esketamine nasal spray" in search_html(client, "ketamine")
    on_commit(lambda: new.unpublish())
    assert "Esketamine nasal spray" not in search_html(client, "ketamine")


def test_kept_search_hits_match_nothing_again(client, library):
    search_html(client, "ketamine")
    with CaptureQueriesContext(connection) as queries:
        html = search_html(client, "ketamine")
    assert "Ketamine for chronic pain: a review" in html
    assert not [q for q in queries.captured_queries if "wagtailsearch" in q["sql"]]


def test_nothing_is_kept_with_shared_fragments_off(client, library, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    api_titles(client)
    Page.objects.filter(title="Study 05").update(
        title="Study 05 renamed", last_published_at=timezone.now()
    )
    count, titles = api_titles(client)
    assert count == 13 and "Study 05 renamed" in titles
