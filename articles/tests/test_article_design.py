"""What a visitor sees at the top of an article: who wrote it, who checked it, how
long it takes to read, and the studies behind it as cards."""

import datetime

import pytest
from bs4 import BeautifulSoup

from articles.models import ArticlePage
from articles.tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.core.reading_time import WORDS_PER_MINUTE, reading_minutes
from cms.core.tests.factories import ClinicianFactory, publish_reviewed
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory

pytestmark = pytest.mark.django_db


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def words(count: int) -> str:
    return " ".join(["pain"] * count)


@pytest.fixture
def article(home_page):
    study = StudySummaryPageFactory(
        parent=StudyIndexPageFactory(parent=home_page),
        title="Sleep and pain study",
        journal="Sleep",
        year=2020,
        study_design="cohort",
    )
    page = ArticlePageFactory(
        parent=ArticleIndexPageFactory(parent=home_page),
        title="Sleeping well with chronic pain",
        summary="Simple habits that help.",
        date=datetime.date(2026, 4, 2),
        body=[
            ("heading", {"text": "Why sleep matters", "level": "h2"}),
            ("paragraph", f"<p>{words(2 * WORDS_PER_MINUTE)}</p>"),
            ("key_points", {"heading": "Key points", "points": [words(30)]}),
        ],
        reviewed_by=ClinicianFactory(name="Kim Ortiz", credentials="PhD"),
        last_reviewed=datetime.date(2026, 4, 1),
        next_review_due=datetime.date(2027, 4, 1),
    )
    page.authors.create(clinician=ClinicianFactory(name="Ann Wu", credentials="NP"))
    page.related_studies.create(study=study)
    publish_reviewed(page)
    return ArticlePage.objects.get(pk=page.pk)


def test_byline_names_the_author_the_date_and_the_reading_time(article, client):
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    header = soup.select_one(".page-header")
    assert text_of(header.select_one(".byline")) == (
        "By Ann Wu, NP · 2 April 2026 · 3 minute read"
    )
    review = header.select_one(".review-line")
    assert text_of(review).startswith("Medically reviewed by Kim Ortiz, PhD")
    # Who wrote it and who checked it sit together, above the article's text.
    page_html = str(soup)
    assert page_html.index("Medically reviewed by") < page_html.index(
        "Why sleep matters"
    )


def test_related_studies_are_cards_with_their_facts(article, client):
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    (card,) = soup.select("#studies-heading ~ ul .card")
    assert text_of(card.h3) == "Sleep and pain study"
    assert text_of(card.select_one(".card-meta")) == "Sleep · 2020"
    assert text_of(card.select_one(".chip")) == "Cohort study"


def test_reading_time_counts_body_words_and_summary(article):
    # 400 words of paragraph, 30 of key points, heading and summary: 3 minutes.
    assert reading_minutes(article.body, article.summary) == 3
    assert reading_minutes(article.body) == 3


def test_reading_time_is_never_zero():
    assert reading_minutes(None) == 1
    assert reading_minutes(None, "One line.") == 1


def test_reading_time_ignores_markup():
    assert reading_minutes(None, f"<p><strong>{words(201)}</strong></p>") == 2
