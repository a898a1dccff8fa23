"""The clinical review report shows each page's reading grade, as the editor does."""

import csv
import io

import pytest
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from cms.core.readability import page_reading
from cms.core.tests.helpers import logged_in
from studies.tests.factories import StudySummaryPageFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/clinical-review-due/"
EASY = (
    "This study asked if ketamine eases long-term pain. It looked at many small "
    "studies together. Most people had less pain for a short time. Some felt "
    "sick or dizzy. The pain often came back after a few weeks."
)
HARD = (
    "This systematic review and meta-analysis of randomised controlled trials "
    "evaluated intravenous ketamine administration for chronic non-cancer pain, "
    "demonstrating statistically significant short-term analgesic efficacy, "
    "albeit with considerable heterogeneity and transient psychotomimetic "
    "adverse events."
)


@pytest.fixture
def unreviewed_studies(study_index):
    return {
        "easy": StudySummaryPageFactory(
            parent=study_index, title="Easy study", plain_language_summary=EASY
        ),
        "hard": StudySummaryPageFactory(
            parent=study_index, title="Hard study", plain_language_summary=HARD
        ),
        "short": StudySummaryPageFactory(
            parent=study_index, title="Short study", plain_language_summary="Less pain."
        ),
    }


def csv_rows(client):
    response = client.get(REPORT, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    return {row["Page"]: row for row in csv.DictReader(io.StringIO(content))}


def grade_cells(client) -> dict[str, str]:
    """The report's "Reading grade" column, by page title, as the user reads it."""
    soup = WagtailTestUtils.get_soup(client.get(REPORT).content)
    headings = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    column = headings.index("Reading grade")
    cells = {}
    for row in soup.select("table tbody tr"):
        texts = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        cells[texts[0]] = texts[column]
    return cells


def test_report_shows_the_grade_the_editor_sees(unreviewed_studies, editor):
    cells = grade_cells(logged_in(editor))
    easy = page_reading(unreviewed_studies["easy"]).overall
    hard = page_reading(unreviewed_studies["hard"]).overall
    assert not easy.too_hard and hard.too_hard
    assert cells["Easy study"] == f"Grade {easy.grade:.1f}"
    assert cells["Hard study"] == f"Grade {hard.grade:.1f} (above 8)"
    assert cells["Short study"] == "Too short to score"


def test_csv_has_the_grade_as_a_number(unreviewed_studies, editor):
    rows = csv_rows(logged_in(editor))
    hard = page_reading(unreviewed_studies["hard"]).overall
    assert rows["Hard study"]["Reading grade"] == f"{hard.grade:.1f}"
    assert float(rows["Easy study"]["Reading grade"]) <= 8
    assert rows["Short study"]["Reading grade"] == ""


def test_report_sorts_by_reading_grade(unreviewed_studies, editor):
    html = logged_in(editor).get(REPORT, {"ordering": "-reading_grade"})
    html = html.content.decode()
    assert html.index("Hard study") < html.index("Easy study")
