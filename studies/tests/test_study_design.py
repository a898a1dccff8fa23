"""What a visitor sees on a study page and in the library: the plain-language summary
first, a citation card whose evidence badge explains itself, cards with the facts."""

import pytest
from bs4 import BeautifulSoup

from cms.core.tests.factories import publish_reviewed
from home.tests.factories import StandardPageFactory
from studies.choices import EvidenceLevel, StudyDesign
from studies.evidence import evidence_level_for
from studies.evidence_guide import (
    EVIDENCE_GUIDE_SLUG,
    MEANINGS,
    designs_for,
    evidence_guide_body,
)
from studies.models import StudySummaryPage
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory

pytestmark = pytest.mark.django_db

LONG_DOI = "10.1000/a-very-long-identifier-that-has-no-spaces-at-all-0123456789"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


@pytest.fixture
def study_index(home_page):
    return StudyIndexPageFactory(parent=home_page)


@pytest.fixture
def guide(home_page):
    return StandardPageFactory(
        parent=home_page, title="About our evidence levels", slug=EVIDENCE_GUIDE_SLUG
    )


@pytest.fixture
def trial(study_index):
    study = StudySummaryPageFactory(
        parent=study_index,
        title="Ketamine infusions for nerve pain",
        journal="Pain Med",
        year=2021,
        doi=LONG_DOI,
        study_design="rct",
        summary="A trial of infusions.",
        plain_language_summary="<p>Infusions eased pain for some weeks.</p>",
        limitations="<p>Only 40 people took part.</p>",
    )
    study.key_points.create(text="Pain scores fell.", sort_order=0)
    publish_reviewed(study)
    return StudySummaryPage.objects.get(pk=study.pk)


def test_plain_language_summary_comes_first_then_card_points_and_limits(trial, client):
    soup = soup_of(client.get(trial.url))
    assert [text_of(h) for h in soup.select("main h2")][:4] == [
        "In plain language",
        "The study",
        "Key points",
        "Limitations",
    ]
    assert "Only 40 people took part." in text_of(
        soup.find(id="limitations-heading").parent
    )


def test_citation_card_gives_journal_year_design_and_a_linked_badge(
    trial, guide, client
):
    card = soup_of(client.get(trial.url)).select_one(".citation-card")
    facts = {text_of(row.dt): row.dd for row in card.select("dl > div")}
    assert text_of(facts["Journal"]) == "Pain Med"
    assert text_of(facts["Year"]) == "2021"
    assert text_of(facts["Type of study"].select_one(".chip")) == (
        "Randomised controlled trial"
    )
    badge = facts["Level of evidence"].select_one("a.badge")
    assert text_of(badge) == "Strong: randomised trial"
    assert badge["href"] == guide.url
    assert "badge--level-2" in badge["class"]
    guide_link = card.select_one(".citation-guide a")
    assert (text_of(guide_link), guide_link["href"]) == (
        "About our evidence levels",
        guide.url,
    )


def test_without_the_guide_page_the_badge_is_plain_text(trial, client):
    card = soup_of(client.get(trial.url)).select_one(".citation-card")
    assert card.select_one("span.badge").get_text() == "Strong: randomised trial"
    assert card.select_one("a.badge") is None
    assert card.select_one(".citation-guide") is None


def test_an_unpublished_guide_page_is_not_linked(trial, guide, client):
    guide.unpublish()
    card = soup_of(client.get(trial.url)).select_one(".citation-card")
    assert card.select_one("a.badge") is None


def test_a_long_doi_is_shown_whole_in_a_wrapping_list(trial, client):
    card = soup_of(client.get(trial.url)).select_one(".citation-card")
    link = card.select_one(f'.citation-links a[href="https://doi.org/{LONG_DOI}"]')
    assert text_of(link) == f"DOI: {LONG_DOI}"


def test_library_cards_show_journal_year_and_design(trial, guide, client):
    soup = soup_of(client.get(trial.get_parent().url))
    (card,) = soup.select(".card")
    assert text_of(card.h2) == "Ketamine infusions for nerve pain"
    assert text_of(card.select_one(".card-meta")) == "Pain Med · 2021"
    assert text_of(card.select_one(".chip")) == "Randomised controlled trial"
    assert text_of(card.select_one(".badge")) == (
        "Level of evidence: Strong: randomised trial"
    )
    intro_link = soup.select_one(f'main a[href="{guide.url}"]')
    assert text_of(intro_link) == "About our evidence levels"


def test_a_card_without_journal_or_year_leaves_the_line_out(study_index, client):
    StudySummaryPageFactory(parent=study_index, journal="", year=None)
    (card,) = soup_of(client.get(study_index.url)).select(".card")
    assert card.select_one(".card-meta") is None
    # A study not yet classified shows no design chip, only its level.
    assert card.select_one(".chip") is None
    assert text_of(card.select_one(".badge")) == "Level of evidence: Not yet graded"


def test_each_filter_sits_in_its_own_box(study_index, client):
    StudySummaryPageFactory(parent=study_index)
    form = soup_of(client.get(study_index.url)).select_one("form.filters")
    selects = form.select("select")
    assert selects
    for select in selects:
        assert "filter" in select.parent["class"]
    assert "filter-actions" in form.select_one("button").parent["class"]


# The explanation page's text, from the grading table -----------------------


def test_every_level_is_explained():
    assert set(MEANINGS) == set(EvidenceLevel)


def test_each_design_is_listed_under_the_level_it_gets():
    for design in StudyDesign:
        level = evidence_level_for(design.value)
        assert design.label in designs_for(level), design


def test_the_guide_body_has_a_section_per_level_strongest_first():
    headings = [
        block["value"]["text"]
        for block in evidence_guide_body()
        if block["type"] == "heading"
    ]
    assert headings[0] == EvidenceLevel.LEVEL_1.label
    assert headings == [level.label for level in MEANINGS]
    text = " ".join(
        block["value"] for block in evidence_guide_body() if block["type"] != "heading"
    )
    assert "<li>Randomised controlled trial</li>" in text
    assert "Oxford Centre for Evidence-Based Medicine" in text
