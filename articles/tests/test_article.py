"""Articles: what visitors read and what editors must fill in."""

import datetime

import pytest
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from articles.models import ArticlePage
from articles.tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.core.tests.factories import (
    ClinicianFactory,
    ConditionFactory,
    publish_reviewed,
)
from studies.tests.factories import StudyIndexPageFactory, StudySummaryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article_index(home_page):
    return ArticleIndexPageFactory(parent=home_page)


@pytest.fixture
def full_article(home_page, article_index):
    study = StudySummaryPageFactory(
        parent=StudyIndexPageFactory(parent=home_page), title="Sleep and pain study"
    )
    article = ArticlePageFactory(
        parent=article_index,
        title="Sleeping well with chronic pain",
        summary="Simple habits that help.",
        date=datetime.date(2026, 4, 2),
        reviewed_by=ClinicianFactory(name="Kim Ortiz", credentials="PhD"),
        last_reviewed=datetime.date(2026, 4, 1),
        next_review_due=datetime.date(2027, 4, 1),
    )
    article.authors.create(clinician=ClinicianFactory(name="Ann Wu", credentials="NP"))
    article.authors.create(clinician=ClinicianFactory(name="Bo Park", credentials=""))
    article.conditions.set([ConditionFactory(name="Insomnia")])
    article.tags.add("sleep", "habits")
    article.related_studies.create(study=study)
    publish_reviewed(article)
    return ArticlePage.objects.get(pk=article.pk)


def test_article_shows_every_field(full_article, client):
    response = client.get(full_article.url)
    page_html = response.content.decode()
    assert response.status_code == 200
    for visible in (
        "<h1>Sleeping well with chronic pain</h1>",
        '<time datetime="2026-04-02">2 April 2026</time>',
        "By Ann Wu, NP, Bo Park",
        "Medically reviewed by",
        "Kim Ortiz, PhD",
        "Simple habits that help.",
        "What the example article says.",
        "Insomnia",
        '<span class="tag">habits</span>',
        '<span class="tag">sleep</span>',
        ">Sleep and pain study</a>",
    ):
        assert visible in page_html, visible


def test_article_index_lists_newest_first(article_index, client):
    ArticlePageFactory(
        parent=article_index, title="Older", date=datetime.date(2025, 1, 1)
    )
    ArticlePageFactory(
        parent=article_index, title="Newer", date=datetime.date(2026, 1, 1)
    )
    page_html = client.get(article_index.url).content.decode()
    assert page_html.index(">Newer</a>") < page_html.index(">Older</a>")


def test_empty_article_index_says_so(article_index, client):
    assert (
        "No articles are published yet."
        in client.get(article_index.url).content.decode()
    )


def test_article_without_a_body_cannot_be_published(admin_client, article_index):
    data = nested_form_data(
        {
            "title": "Draft article",
            "slug": "draft-article",
            "date": "2026-05-01",
            "body": streamfield([]),
            "authors": inline_formset([]),
            "related_studies": inline_formset([]),
            "tags": "",
            "summary": "",
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(
        f"/admin/pages/add/articles/articlepage/{article_index.pk}/", data
    )
    assert response.status_code == 200
    # The body StreamField's own error, as the editor's block widget receives it.
    assert (
        "[[],{&quot;messages&quot;: [&quot;This field is required.&quot;]}]"
        in response.content.decode()
    )
    assert not ArticlePage.objects.filter(slug="draft-article").exists()


def test_citing_the_same_study_twice_is_a_form_error_not_a_crash(
    admin_client, home_page, article_index
):
    study = StudySummaryPageFactory(
        parent=StudyIndexPageFactory(parent=home_page), title="Sleep and pain study"
    )
    data = nested_form_data(
        {
            "title": "Draft article",
            "slug": "draft-article",
            "date": "2026-05-01",
            "body": streamfield([("paragraph", rich_text("<p>Sleep helps.</p>"))]),
            "authors": inline_formset([]),
            "related_studies": inline_formset([{"study": study.pk}] * 2),
            "tags": "",
            "summary": "",
        }
    )
    response = admin_client.post(
        f"/admin/pages/add/articles/articlepage/{article_index.pk}/", data
    )
    assert response.status_code == 200
    soup = WagtailTestUtils.get_soup(response.content)
    shown = [error.get_text(" ", strip=True) for error in soup.select(".error-message")]
    assert (
        "Please correct the duplicate data for page and study, which must be unique."
        in shown
    )
    # The second, repeated study is the one marked for the editor to remove.
    second = soup.select_one("#inline_child_related_studies-1-panel-content")
    assert "Please correct the duplicate values below." in second.get_text()
    first = soup.select_one("#inline_child_related_studies-0-panel-content")
    assert "duplicate" not in first.get_text()
    assert not ArticlePage.objects.filter(slug="draft-article").exists()
