"""Issue 16: ``best_matches`` answers what the search backend answers, in its order.

``cms.core.search.best_matches`` asks the full-text index itself (SQLite's
FTS5 table, PostgreSQL's GIN-indexed vectors) instead of going through
Wagtail's backend, so that a common word on a large site costs its hits, not
the site. These tests hold it to the backend's own answer on both databases
(the PostgreSQL lane runs them there): the same pages, in the same order,
whichever of the title and the body holds which word.
"""

import pytest
from wagtail.models import Page

from cms.core.search import best_matches
from home.tests.factories import StandardPageFactory, paragraph

pytestmark = pytest.mark.django_db

PAGES = [
    ("Ketamine", "A short title that says it all."),
    ("Ketamine for chronic pain", "Infusions under supervision."),
    ("Pain clinic", "We also offer ketamine, ketamine and more ketamine."),
    ("Living with chronic pain", "Notes on sleep, exercise and ketamine."),
    ("Opening hours", "Monday to Friday, nine to five."),
    ("Infusion day", "What to expect on the day of a ketamine infusion."),
    ("Ketamine and depression: what the studies say", "Pain is not the topic."),
]


@pytest.fixture
def library(home_page):
    for number, (title, intro) in enumerate(PAGES):
        StandardPageFactory(
            parent=home_page,
            slug=f"page-{number}",
            title=title,
            intro=intro,
            body=paragraph(intro),
        )
    return Page.objects.live().public().type(StandardPageFactory._meta.model)


def backend_order(pages, words: str) -> list[int]:
    return [page.pk for page in pages.search(words, operator="and")]


@pytest.mark.parametrize(
    "words",
    [
        "ketamine",  # in titles and bodies, once or three times
        "ketamine pain",  # both words in the title, or one in each part
        "pain ketamine",  # the same words the other way round
        "chronic pain ketamine",
        "infusion",  # in the body only (stemmed: "Infusions" too)
        "opening",  # one page
        "gabapentin",  # none
    ],
)
def test_best_matches_are_the_backends_matches_in_its_order(library, words):
    expected = backend_order(library, words)
    assert [page.pk for page in best_matches(library, words, 200)] == expected


def test_a_word_in_the_title_and_one_in_the_body_is_still_a_match(library):
    titles = [page.title for page in best_matches(library, "depression topic", 200)]
    assert titles == ["Ketamine and depression: what the studies say"]


def test_the_limit_keeps_the_best(library):
    expected = backend_order(library, "ketamine")
    assert len(expected) == 6
    assert [page.pk for page in best_matches(library, "ketamine", 3)] == expected[:3]


def test_only_the_given_pages_are_searched(library):
    draft = library.get(title="Ketamine")
    draft.unpublish()
    titles = [page.title for page in best_matches(library, "ketamine", 200)]
    assert "Ketamine" not in titles
    assert len(titles) == 5
